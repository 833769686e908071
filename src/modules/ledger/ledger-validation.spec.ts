import { LedgerError, LedgerErrorCode } from './ledger.errors';
import { imbalanceByCurrency, validateJournal } from './ledger-validation';
import type { JournalInput, PostingInput } from './ledger.types';

const clearing = { kind: 'gateway_clearing', ownerId: 'stripe', currency: 'USD' } as const;
const merchant = { kind: 'merchant_balance', ownerId: 'm-1', currency: 'USD' } as const;
const fees = { kind: 'fees', ownerId: 'platform', currency: 'USD' } as const;

const capture = (
  postings: PostingInput[],
  overrides: Partial<JournalInput> = {},
): JournalInput => ({
  kind: 'payment.capture',
  reference: 'pay_1',
  postings,
  ...overrides,
});

const BALANCED: PostingInput[] = [
  { account: clearing, amountMinor: 10000 },
  { account: merchant, amountMinor: -9710 },
  { account: fees, amountMinor: -290 },
];

function errorOf(journal: JournalInput): LedgerError {
  try {
    validateJournal(journal);
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error('expected the journal to be refused');
}

describe('validateJournal', () => {
  it('accepts a balanced journal and normalises an empty description', () => {
    const valid = validateJournal(capture(BALANCED, { description: '' }));
    expect(valid).toMatchObject({ kind: 'payment.capture', reference: 'pay_1', description: null });
    expect(valid.postings).toHaveLength(3);
  });

  it('refuses an unbalanced journal, naming the currency and the imbalance', () => {
    const error = errorOf(
      capture([
        { account: clearing, amountMinor: 10000 },
        { account: merchant, amountMinor: -9700 },
      ]),
    );
    expect(error.code).toBe(LedgerErrorCode.LEDGER_UNBALANCED);
    expect(error.kind).toBe('bad_input');
    expect(error.message).toContain('USD debits exceed credits by 300');
    expect(error.details).toEqual({ imbalances: [{ currency: 'USD', imbalanceMinor: '300' }] });
  });

  it('balances each currency on its own', () => {
    const eur = { ...merchant, currency: 'EUR' };
    const error = errorOf(
      capture([
        { account: clearing, amountMinor: 500 },
        { account: eur, amountMinor: -500 },
      ]),
    );
    expect(error.code).toBe(LedgerErrorCode.LEDGER_UNBALANCED);
    expect(error.message).toContain('USD debits exceed credits by 500');
    expect(error.message).toContain('EUR credits exceed debits by 500');
  });

  it('adds amounts exactly, beyond the safe integer range', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const sums = imbalanceByCurrency([
      { currency: 'USD', amountMinor: max },
      { currency: 'USD', amountMinor: max },
      { currency: 'USD', amountMinor: -max },
    ]);
    expect(sums.get('USD')).toBe(BigInt(max));
  });

  it.each<[string, JournalInput]>([
    ['one posting', capture([BALANCED[0]])],
    ['a zero amount', capture([...BALANCED, { account: fees, amountMinor: 0 }])],
    [
      'a fractional amount',
      capture([
        { account: clearing, amountMinor: 1.5 },
        { account: merchant, amountMinor: -1.5 },
      ]),
    ],
    [
      'an unsafe amount',
      capture([
        { account: clearing, amountMinor: 2 ** 53 },
        { account: merchant, amountMinor: -(2 ** 53) },
      ]),
    ],
    [
      'a lower-case currency',
      capture([
        { account: { ...clearing, currency: 'usd' }, amountMinor: 1 },
        { account: { ...merchant, currency: 'usd' }, amountMinor: -1 },
      ]),
    ],
    [
      'an unknown account kind',
      capture([
        { account: { ...clearing, kind: 'cash' as never }, amountMinor: 1 },
        { account: merchant, amountMinor: -1 },
      ]),
    ],
    [
      'an empty owner',
      capture([
        { account: { ...clearing, ownerId: '' }, amountMinor: 1 },
        { account: merchant, amountMinor: -1 },
      ]),
    ],
    ['an empty reference', capture(BALANCED, { reference: '' })],
    ['a reference with a line break', capture(BALANCED, { reference: 'pay\n1' })],
    ['a kind with spaces', capture(BALANCED, { kind: 'payment capture' })],
    ['a too long reference', capture(BALANCED, { reference: 'r'.repeat(201) })],
  ])('refuses %s as invalid', (_what, journal) => {
    const error = errorOf(journal);
    expect(error.code).toBe(LedgerErrorCode.LEDGER_INVALID_JOURNAL);
    expect(error.kind).toBe('bad_input');
  });
});
