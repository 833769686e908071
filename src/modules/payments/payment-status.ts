/**
 * A payment's lifecycle. UNKNOWN means a gateway call may or may not have taken effect (a timeout
 * after sending): only reconciliation, which asks the gateway, moves a payment out of it.
 */
export enum PaymentStatus {
  CREATED = 'CREATED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  PROCESSING = 'PROCESSING',
  AUTHORIZED = 'AUTHORIZED',
  CAPTURED = 'CAPTURED',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  UNKNOWN = 'UNKNOWN',
}

const S = PaymentStatus;

/** Allowed moves. A move to the status already held is always a no-op, so it is not listed. */
export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  CREATED: [
    S.UNDER_REVIEW,
    S.REQUIRES_ACTION,
    S.PROCESSING,
    S.AUTHORIZED,
    S.CAPTURED,
    S.FAILED,
    S.CANCELLED,
    S.UNKNOWN,
  ],
  UNDER_REVIEW: [S.CREATED, S.FAILED, S.CANCELLED],
  REQUIRES_ACTION: [S.PROCESSING, S.AUTHORIZED, S.CAPTURED, S.FAILED, S.CANCELLED, S.UNKNOWN],
  PROCESSING: [S.REQUIRES_ACTION, S.AUTHORIZED, S.CAPTURED, S.FAILED, S.CANCELLED, S.UNKNOWN],
  // A capture or void whose answer was lost leaves the payment UNKNOWN until the gateway says.
  AUTHORIZED: [S.CAPTURED, S.CANCELLED, S.UNKNOWN],
  CAPTURED: [S.PARTIALLY_REFUNDED, S.REFUNDED],
  PARTIALLY_REFUNDED: [S.REFUNDED],
  REFUNDED: [],
  // The gateway's truth wins: money it reports captured after we gave up must still be booked.
  FAILED: [S.CAPTURED],
  CANCELLED: [S.CAPTURED],
  UNKNOWN: [S.REQUIRES_ACTION, S.PROCESSING, S.AUTHORIZED, S.CAPTURED, S.FAILED, S.CANCELLED],
};

/** Statuses the reconciler keeps asking the gateway about. */
export const RECONCILABLE_PAYMENT_STATUSES: readonly PaymentStatus[] = [
  S.REQUIRES_ACTION,
  S.PROCESSING,
  S.UNKNOWN,
];

/** A payment in one of these still holds its order: no second payment may start. */
export const OPEN_PAYMENT_STATUSES: readonly PaymentStatus[] = [
  S.CREATED,
  S.UNDER_REVIEW,
  S.REQUIRES_ACTION,
  S.PROCESSING,
  S.AUTHORIZED,
  S.UNKNOWN,
];

export type TransitionResult = 'moved' | 'unchanged' | 'refused';

export const canPaymentMove = (from: PaymentStatus, to: PaymentStatus): boolean =>
  PAYMENT_TRANSITIONS[from].includes(to);

/**
 * The one function that changes a payment's status: applies the table to `target` in place.
 * 'unchanged' when already there; 'refused' (and no change) when the table forbids it, e.g. a stale
 * "requires action" arriving after the capture.
 */
export function applyPaymentTransition(
  target: { status: PaymentStatus },
  to: PaymentStatus,
): TransitionResult {
  if (target.status === to) return 'unchanged';
  if (!canPaymentMove(target.status, to)) return 'refused';
  target.status = to;
  return 'moved';
}
