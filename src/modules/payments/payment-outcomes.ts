import type { ChargeOutcome } from '../../gateways/payment-gateway';
import { PaymentAttemptStatus } from './payment-attempt-status';
import { PaymentStatus } from './payment-status';

/** What a gateway's answer about a charge means for our attempt and payment. Pure. */
export const ATTEMPT_STATUS_OF: Readonly<Record<ChargeOutcome['status'], PaymentAttemptStatus>> = {
  requires_action: PaymentAttemptStatus.REQUIRES_ACTION,
  pending: PaymentAttemptStatus.PROCESSING,
  authorized: PaymentAttemptStatus.AUTHORIZED,
  captured: PaymentAttemptStatus.CAPTURED,
  cancelled: PaymentAttemptStatus.CANCELLED,
  declined: PaymentAttemptStatus.DECLINED,
};

export const PAYMENT_STATUS_OF: Readonly<Record<ChargeOutcome['status'], PaymentStatus>> = {
  requires_action: PaymentStatus.REQUIRES_ACTION,
  pending: PaymentStatus.PROCESSING,
  authorized: PaymentStatus.AUTHORIZED,
  captured: PaymentStatus.CAPTURED,
  cancelled: PaymentStatus.CANCELLED,
  declined: PaymentStatus.FAILED,
};

/** The outbox event type for a payment entering a status, when the merchant should hear of it. */
export const PAYMENT_EVENT_TYPE: Partial<Record<PaymentStatus, string>> = {
  UNDER_REVIEW: 'payment.under_review',
  REQUIRES_ACTION: 'payment.requires_action',
  PROCESSING: 'payment.processing',
  AUTHORIZED: 'payment.authorized',
  CAPTURED: 'payment.captured',
  PARTIALLY_REFUNDED: 'payment.partially_refunded',
  REFUNDED: 'payment.refunded',
  FAILED: 'payment.failed',
  CANCELLED: 'payment.cancelled',
  UNKNOWN: 'payment.unknown',
};

/** Platform fee on a captured amount, in basis points, rounded half up in integer arithmetic. */
export function feeOf(amountMinor: number, feeBps: number): number {
  return Number((BigInt(amountMinor) * BigInt(feeBps) + 5_000n) / 10_000n);
}
