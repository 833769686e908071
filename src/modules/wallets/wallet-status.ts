import { registerEnumType } from '@nestjs/graphql';

export enum WalletStatus {
  ACTIVE = 'ACTIVE',
  FROZEN = 'FROZEN',
}

registerEnumType(WalletStatus, {
  name: 'WalletStatus',
  description: 'Whether money may leave a wallet.',
  valuesMap: {
    ACTIVE: { description: 'Transfers, holds and deposits work normally.' },
    FROZEN: {
      description:
        'Frozen by an admin: no transfers in or out and no new holds; existing holds may still be captured or released.',
    },
  },
});

/** Allowed status changes of a wallet. */
export const WALLET_STATUS_TRANSITIONS: Record<WalletStatus, readonly WalletStatus[]> = {
  [WalletStatus.ACTIVE]: [WalletStatus.FROZEN],
  [WalletStatus.FROZEN]: [WalletStatus.ACTIVE],
};

export const canTransitionWallet = (from: WalletStatus, to: WalletStatus): boolean =>
  WALLET_STATUS_TRANSITIONS[from].includes(to);
