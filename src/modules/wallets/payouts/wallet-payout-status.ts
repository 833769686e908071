import { registerEnumType } from '@nestjs/graphql';

/**
 * A withdrawal's lifecycle. PENDING: recorded and the money held, the gateway not asked yet (or
 * its answer not applied yet). PROCESSING: the gateway accepted it and will tell us the result.
 * UNKNOWN: the request may have reached the gateway but we got no readable answer; only the
 * reconciler (or a callback) moves it on. SUCCEEDED and FAILED are final.
 */
export enum WalletPayoutStatus {
  PENDING = 'PENDING',
  PROCESSING = 'PROCESSING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(WalletPayoutStatus, {
  name: 'WalletPayoutStatus',
  description: 'Where a withdrawal from a wallet stands.',
  valuesMap: {
    PENDING: {
      description: 'Recorded and the amount held in the wallet; the gateway has not answered yet.',
    },
    PROCESSING: {
      description:
        'Accepted by the gateway; the amount stays held until the gateway reports the result.',
    },
    SUCCEEDED: {
      description: 'Paid out: the held amount left the wallet.',
    },
    FAILED: {
      description: 'Not paid out: the hold was released and the amount is available again.',
    },
    UNKNOWN: {
      description:
        'The gateway may have received the request but its answer was lost; the amount stays held while Payrail asks the gateway.',
    },
  },
});

/** Allowed moves. Final states never move; a payout is paid out or given back exactly once. */
export const WALLET_PAYOUT_TRANSITIONS: Readonly<
  Record<WalletPayoutStatus, readonly WalletPayoutStatus[]>
> = {
  [WalletPayoutStatus.PENDING]: [
    WalletPayoutStatus.PROCESSING,
    WalletPayoutStatus.SUCCEEDED,
    WalletPayoutStatus.FAILED,
    WalletPayoutStatus.UNKNOWN,
  ],
  [WalletPayoutStatus.PROCESSING]: [WalletPayoutStatus.SUCCEEDED, WalletPayoutStatus.FAILED],
  [WalletPayoutStatus.UNKNOWN]: [
    WalletPayoutStatus.PROCESSING,
    WalletPayoutStatus.SUCCEEDED,
    WalletPayoutStatus.FAILED,
  ],
  [WalletPayoutStatus.SUCCEEDED]: [],
  [WalletPayoutStatus.FAILED]: [],
};

/** Payouts whose money is still held and whose result we still wait for. */
export const OPEN_WALLET_PAYOUT_STATUSES: readonly WalletPayoutStatus[] = [
  WalletPayoutStatus.PENDING,
  WalletPayoutStatus.PROCESSING,
  WalletPayoutStatus.UNKNOWN,
];

export const isFinalPayoutStatus = (status: WalletPayoutStatus): boolean =>
  WALLET_PAYOUT_TRANSITIONS[status].length === 0;

export const canTransitionPayout = (from: WalletPayoutStatus, to: WalletPayoutStatus): boolean =>
  WALLET_PAYOUT_TRANSITIONS[from].includes(to);

/**
 * The one place a payout's status changes. `unchanged`: it is already there (a repeated callback);
 * `refused`: the move is not allowed (stale or contradicting news), and nothing changed.
 */
export function applyPayoutTransition(
  target: { status: WalletPayoutStatus },
  to: WalletPayoutStatus,
): 'moved' | 'unchanged' | 'refused' {
  if (target.status === to) return 'unchanged';
  if (!canTransitionPayout(target.status, to)) return 'refused';
  target.status = to;
  return 'moved';
}
