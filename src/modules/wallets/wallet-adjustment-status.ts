import { registerEnumType } from '@nestjs/graphql';

export enum WalletAdjustmentStatus {
  PROPOSED = 'PROPOSED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

registerEnumType(WalletAdjustmentStatus, {
  name: 'WalletAdjustmentStatus',
  description: 'Where a manual wallet adjustment stands in its two-person approval.',
  valuesMap: {
    PROPOSED: { description: 'Waiting for a second admin; nothing has been posted.' },
    APPROVED: { description: 'Approved by a second admin and posted to the ledger.' },
    REJECTED: { description: 'Refused (or withdrawn); nothing was posted.' },
  },
});

/** An adjustment is decided once. */
export const WALLET_ADJUSTMENT_TRANSITIONS: Record<
  WalletAdjustmentStatus,
  readonly WalletAdjustmentStatus[]
> = {
  [WalletAdjustmentStatus.PROPOSED]: [
    WalletAdjustmentStatus.APPROVED,
    WalletAdjustmentStatus.REJECTED,
  ],
  [WalletAdjustmentStatus.APPROVED]: [],
  [WalletAdjustmentStatus.REJECTED]: [],
};

export const canTransitionAdjustment = (
  from: WalletAdjustmentStatus,
  to: WalletAdjustmentStatus,
): boolean => WALLET_ADJUSTMENT_TRANSITIONS[from].includes(to);
