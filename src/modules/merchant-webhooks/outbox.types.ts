import type { EntityManager } from 'typeorm';

export type OutboxObjectType = 'payment' | 'refund' | 'order';

/** One event a merchant should hear about, recorded in the same transaction as the change. */
export interface OutboxEventInput {
  readonly merchantId: string;
  readonly objectType: OutboxObjectType;
  readonly objectId: string;
  /** e.g. 'payment.captured', 'refund.succeeded', 'order.paid'. */
  readonly type: string;
  /** The object as the merchant sees it (JSON-serialisable, no secrets). */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface OutboxRecording {
  /** Inserts the event (per-object sequence number assigned) inside the caller's transaction. */
  record(manager: EntityManager, event: OutboxEventInput): Promise<void>;
  /** Called after the caller's transaction commits: dispatches pending deliveries without waiting for the poller. */
  kick(): void;
}
