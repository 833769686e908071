import { registerEnumType } from '@nestjs/graphql';

export enum WalletHoldStatus {
  ACTIVE = 'ACTIVE',
  CAPTURED = 'CAPTURED',
  RELEASED = 'RELEASED',
  EXPIRED = 'EXPIRED',
}

registerEnumType(WalletHoldStatus, {
  name: 'WalletHoldStatus',
  description: 'Where a hold on wallet funds stands.',
  valuesMap: {
    ACTIVE: { description: 'The amount is reserved: it is not available to spend.' },
    CAPTURED: {
      description: 'All or part of the amount was paid out; the rest went back to the wallet.',
    },
    RELEASED: { description: 'Released unused: the whole amount is available again.' },
    EXPIRED: { description: 'Released by the sweep after its expiry, unused.' },
  },
});

/** A hold is settled exactly once. */
export const WALLET_HOLD_TRANSITIONS: Record<WalletHoldStatus, readonly WalletHoldStatus[]> = {
  [WalletHoldStatus.ACTIVE]: [
    WalletHoldStatus.CAPTURED,
    WalletHoldStatus.RELEASED,
    WalletHoldStatus.EXPIRED,
  ],
  [WalletHoldStatus.CAPTURED]: [],
  [WalletHoldStatus.RELEASED]: [],
  [WalletHoldStatus.EXPIRED]: [],
};

export const canTransitionHold = (from: WalletHoldStatus, to: WalletHoldStatus): boolean =>
  WALLET_HOLD_TRANSITIONS[from].includes(to);
