import { createHash } from 'node:crypto';
import { canonicalEntry, entryHash, GENESIS_HASH, type HashedEntry } from './ledger-hash';

const ENTRY: HashedEntry = {
  sequence: 1,
  id: '3b0d6c7e-0f5e-4a8e-9d0c-5c1f0a9e7b21',
  kind: 'payment.capture',
  reference: 'pay_1',
  description: null,
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
  postings: [
    { lineNumber: 2, accountId: 'acct-merchant', currency: 'USD', amountMinor: -9710 },
    { lineNumber: 1, accountId: 'acct-clearing', currency: 'USD', amountMinor: 10000 },
    { lineNumber: 3, accountId: 'acct-fees', currency: 'USD', amountMinor: -290 },
  ],
};

describe('ledger hash chain', () => {
  it('serialises an entry in one fixed form, postings by line number', () => {
    expect(canonicalEntry(ENTRY)).toBe(
      '["payrail.ledger.v1","1","3b0d6c7e-0f5e-4a8e-9d0c-5c1f0a9e7b21","payment.capture","pay_1",null,' +
        '"2026-01-02T03:04:05.678Z",[["1","acct-clearing","USD","10000"],' +
        '["2","acct-merchant","USD","-9710"],["3","acct-fees","USD","-290"]]]',
    );
  });

  it('hashes sha256(previous hash || canonical entry)', () => {
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalEntry(ENTRY))
      .digest('hex');
    expect(entryHash(GENESIS_HASH, ENTRY)).toBe(expected);
    expect(entryHash(GENESIS_HASH, ENTRY)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order postings are given in', () => {
    const reordered = { ...ENTRY, postings: [...ENTRY.postings].reverse() };
    expect(entryHash(GENESIS_HASH, reordered)).toBe(entryHash(GENESIS_HASH, ENTRY));
  });

  it.each<[string, Partial<HashedEntry>]>([
    [
      'an amount',
      { postings: [{ ...ENTRY.postings[0], amountMinor: -9711 }, ...ENTRY.postings.slice(1)] },
    ],
    [
      'an account',
      { postings: [{ ...ENTRY.postings[0], accountId: 'acct-other' }, ...ENTRY.postings.slice(1)] },
    ],
    ['the sequence', { sequence: 2 }],
    ['the reference', { reference: 'pay_2' }],
    ['the description', { description: '' }],
    ['the time', { createdAt: new Date('2026-01-02T03:04:05.679Z') }],
  ])('changes when %s changes', (_what, change) => {
    expect(entryHash(GENESIS_HASH, { ...ENTRY, ...change })).not.toBe(
      entryHash(GENESIS_HASH, ENTRY),
    );
  });

  it('chains: the same entry after a different predecessor hashes differently', () => {
    const first = entryHash(GENESIS_HASH, ENTRY);
    expect(entryHash(first, ENTRY)).not.toBe(first);
    expect(entryHash('f'.repeat(64), ENTRY)).not.toBe(first);
  });
});
