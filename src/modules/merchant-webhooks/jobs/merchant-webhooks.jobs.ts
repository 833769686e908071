import type { JobOptions } from 'bull';

export const MERCHANT_WEBHOOKS_QUEUE = 'merchant-webhooks';

export enum MerchantWebhookJob {
  /** Finds due deliveries and enqueues one Deliver job each (repeatable, and on kick). */
  Dispatch = 'dispatch',
  /** Sends one attempt of one delivery. */
  Deliver = 'deliver',
}

export interface DeliverWebhookJob {
  readonly deliveryId: string;
  /** The attempt number this job may claim; a stale job finds it taken and does nothing. */
  readonly attempt: number;
}

/** One job per delivery attempt, so a repeated dispatch never enqueues the same attempt twice. */
export const deliverJobId = (deliveryId: string, attempt: number): string =>
  `delivery:${deliveryId}:${attempt}`;

// The database row is the record of truth and the dispatcher re-enqueues anything still due, so
// finished jobs are dropped; a failed job kept in Redis would block its own jobId from retrying.
export const DELIVER_JOB_OPTIONS: JobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: true,
};

export const dispatchJobOptions = (pollMs: number): JobOptions => ({
  repeat: { every: pollMs },
  jobId: 'dispatch',
  // The next tick is the retry: one attempt, and nothing is kept.
  attempts: 1,
  backoff: { type: 'fixed', delay: pollMs },
  removeOnComplete: true,
  removeOnFail: true,
});
