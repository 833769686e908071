import { accountIdFor, normalBalance } from './ledger-accounts';

describe('ledger accounts', () => {
  it('derives a stable version-5 UUID from kind, owner and currency', () => {
    const ref = { kind: 'merchant_balance', ownerId: 'm-1', currency: 'USD' } as const;
    const id = accountIdFor(ref);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(accountIdFor({ ...ref })).toBe(id);
    expect(accountIdFor({ ...ref, currency: 'EUR' })).not.toBe(id);
    expect(accountIdFor({ ...ref, kind: 'fees' })).not.toBe(id);
    expect(accountIdFor({ ...ref, ownerId: 'm-2' })).not.toBe(id);
  });

  it('reads balances from the normal side', () => {
    expect(normalBalance('merchant_balance', -9710)).toBe(9710);
    expect(normalBalance('gateway_clearing', 10000)).toBe(10000);
    expect(normalBalance('user_wallet', 0)).toBe(0);
    expect(Object.is(normalBalance('user_wallet', 0), -0)).toBe(false);
    expect(normalBalance('suspense', -5)).toBe(-5);
  });
});
