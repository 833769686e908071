import type { EntityManager } from 'typeorm';

/** Who did it and from where. Built from the request by auditActorOf(); 'system' for jobs. */
export interface AuditActor {
  /** 'anonymous' is a caller of a public operation (no user, no key). */
  readonly type: 'user' | 'api_key' | 'system' | 'gateway' | 'anonymous';
  /** User id, API key id, job name or gateway code. */
  readonly id: string;
  readonly role?: string;
  readonly merchantId?: string | null;
  readonly ip?: string;
  readonly requestId?: string;
}

export interface AuditRecordInput {
  readonly actor: AuditActor;
  /** e.g. 'payment.create', 'payment.capture', 'payment.refund', 'risk.rule.update'. */
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly merchantId?: string | null;
  /** Amounts, reasons... JSON-serialisable, never secrets or card data. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditRecording {
  /** Appends inside the caller's transaction when a manager is given. */
  record(manager: EntityManager | null, input: AuditRecordInput): Promise<void>;
}
