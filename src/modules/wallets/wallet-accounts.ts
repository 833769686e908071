import type { AccountRef } from '../ledger/ledger.types';

/**
 * A wallet's money is the ledger account `user_wallet:<walletId>:<currency>`. The owner is the
 * wallet id (not the user id), so the account and the wallet row are one-to-one and the wallet
 * row is the lock that guards it.
 */
export const walletAccount = (wallet: { id: string; currency: string }): AccountRef => ({
  kind: 'user_wallet',
  ownerId: wallet.id,
  currency: wallet.currency,
});

/** The other side of manual adjustments: the platform's suspense account in that currency. */
export const suspenseAccount = (currency: string): AccountRef => ({
  kind: 'suspense',
  ownerId: 'platform',
  currency,
});

/** The platform's position in a currency for conversions between wallets (see fx/). */
export const fxAccount = (currency: string): AccountRef => ({
  kind: 'fx',
  ownerId: 'platform',
  currency,
});

/** Ledger journal kinds the wallets module posts (each unique with its reference). */
export const WalletJournalKind = {
  Transfer: 'wallet.transfer',
  HoldCapture: 'wallet.hold.capture',
  Adjustment: 'wallet.adjustment',
  /** A refund of a WALLET_BALANCE payment back into the wallet (reference: the refund id). */
  PaymentRefund: 'wallet.payment.refund',
  /** Posted by the payments module when a top-up payment is captured (reference: attempt:cumulative). */
  TopUp: 'wallet.top_up',
  Fx: 'wallet.fx',
} as const;

/** Start of the current UTC day: daily limits reset at midnight UTC. */
export const startOfUtcDay = (now: Date): Date =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
