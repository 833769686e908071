/** A refund's lifecycle. UNKNOWN: the gateway call timed out; reconciliation asks the gateway. */
export enum RefundStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
}

export const REFUND_TRANSITIONS: Readonly<Record<RefundStatus, readonly RefundStatus[]>> = {
  PENDING: [RefundStatus.SUCCEEDED, RefundStatus.FAILED, RefundStatus.UNKNOWN],
  UNKNOWN: [RefundStatus.PENDING, RefundStatus.SUCCEEDED, RefundStatus.FAILED],
  SUCCEEDED: [],
  FAILED: [],
};

/** Refunds in these statuses count against what is left to refund. */
export const RESERVING_REFUND_STATUSES: readonly RefundStatus[] = [
  RefundStatus.PENDING,
  RefundStatus.SUCCEEDED,
  RefundStatus.UNKNOWN,
];

export function applyRefundTransition(
  target: { status: RefundStatus },
  to: RefundStatus,
): 'moved' | 'unchanged' | 'refused' {
  if (target.status === to) return 'unchanged';
  if (!REFUND_TRANSITIONS[target.status].includes(to)) return 'refused';
  target.status = to;
  return 'moved';
}
