import { accountIdFor } from '../ledger/ledger-accounts';
import { startOfUtcDay, suspenseAccount, walletAccount } from './wallet-accounts';
import { canTransitionAdjustment, WalletAdjustmentStatus } from './wallet-adjustment-status';
import { canTransitionHold, WalletHoldStatus } from './wallet-hold-status';
import { canTransitionWallet, WalletStatus } from './wallet-status';

describe('wallet rules', () => {
  it('names a wallet’s ledger account by wallet id and currency', () => {
    const account = walletAccount({ id: 'wallet-1', currency: 'USD' });
    expect(account).toEqual({ kind: 'user_wallet', ownerId: 'wallet-1', currency: 'USD' });
    expect(accountIdFor(account)).not.toBe(accountIdFor(suspenseAccount('USD')));
  });

  it('resets daily limits at midnight UTC', () => {
    expect(startOfUtcDay(new Date('2030-05-06T23:59:59.999Z')).toISOString()).toBe(
      '2030-05-06T00:00:00.000Z',
    );
    expect(startOfUtcDay(new Date('2030-05-07T00:00:00.000Z')).toISOString()).toBe(
      '2030-05-07T00:00:00.000Z',
    );
  });

  it('settles a hold exactly once', () => {
    for (const to of [
      WalletHoldStatus.CAPTURED,
      WalletHoldStatus.RELEASED,
      WalletHoldStatus.EXPIRED,
    ]) {
      expect(canTransitionHold(WalletHoldStatus.ACTIVE, to)).toBe(true);
      expect(canTransitionHold(to, WalletHoldStatus.ACTIVE)).toBe(false);
      expect(canTransitionHold(to, WalletHoldStatus.RELEASED)).toBe(false);
    }
  });

  it('decides an adjustment once and lets a wallet go between active and frozen', () => {
    expect(
      canTransitionAdjustment(WalletAdjustmentStatus.PROPOSED, WalletAdjustmentStatus.APPROVED),
    ).toBe(true);
    expect(
      canTransitionAdjustment(WalletAdjustmentStatus.APPROVED, WalletAdjustmentStatus.REJECTED),
    ).toBe(false);
    expect(canTransitionWallet(WalletStatus.ACTIVE, WalletStatus.FROZEN)).toBe(true);
    expect(canTransitionWallet(WalletStatus.FROZEN, WalletStatus.FROZEN)).toBe(false);
  });
});
