import type { JobOptions } from 'bull';

/** Gateway callbacks, applied by the inbox processor. */
export const GATEWAY_EVENTS_QUEUE = 'gateway-events';
export enum GatewayEventsJob {
  ProcessWebhookEvent = 'process-webhook-event',
}
export interface ProcessWebhookEventJob {
  /** The webhook_events row id (also the Bull job id, so one job per stored event). */
  readonly eventId: string;
}

/** Reconciliation, order expiry and idempotency-key clean-up: repeatable sweeps. */
export const PAYMENTS_MAINTENANCE_QUEUE = 'payments-maintenance';
export enum PaymentsMaintenanceJob {
  Reconcile = 'reconcile',
  ExpireOrders = 'expire-orders',
  PurgeIdempotencyKeys = 'purge-idempotency-keys',
}

/** Every sweep is idempotent: a failed run is tried once more, then superseded by the next run. */
export const SWEEP_JOB_OPTIONS: JobOptions = {
  attempts: 2,
  backoff: { type: 'fixed', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: 100,
};

export const webhookJobOptions = (eventId: string, attempts: number): JobOptions => ({
  jobId: eventId,
  attempts,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: 1_000,
  // Failed jobs stay, visible to admins and replayable.
  removeOnFail: false,
});
