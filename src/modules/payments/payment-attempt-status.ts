/** One try at one gateway. */
export enum PaymentAttemptStatus {
  STARTED = 'STARTED',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  PROCESSING = 'PROCESSING',
  AUTHORIZED = 'AUTHORIZED',
  CAPTURED = 'CAPTURED',
  DECLINED = 'DECLINED',
  /** The gateway could not be reached before anything was sent (safe to try elsewhere). */
  ERRORED = 'ERRORED',
  CANCELLED = 'CANCELLED',
  UNKNOWN = 'UNKNOWN',
}
