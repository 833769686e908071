import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { withTransaction } from '../../src/database/transaction';
import { accountIdFor } from '../../src/modules/ledger/ledger-accounts';
import { LedgerError, LedgerErrorCode } from '../../src/modules/ledger/ledger.errors';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import type {
  AccountRef,
  JournalInput,
  PostedJournal,
} from '../../src/modules/ledger/ledger.types';
import { Role } from '../../src/modules/users/role';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';

const ACCOUNT_FIELDS =
  'id kind ownerId currency balanceMinor debitBalanceMinor normalSide allowNegative';
const ENTRIES = `query($accountId: ID, $kind: String, $reference: String, $first: Int, $after: String) {
  journalEntries(accountId: $accountId, kind: $kind, reference: $reference, first: $first, after: $after) {
    edges { cursor node { id kind reference description sequence previousHash hash
      postings { lineNumber amountMinor currency account { ${ACCOUNT_FIELDS} } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const ACCOUNTS = `query($kind: LedgerAccountKind, $ownerId: String, $currency: String) {
  ledgerAccounts(kind: $kind, ownerId: $ownerId, currency: $currency) { edges { node { ${ACCOUNT_FIELDS} } } }
}`;
const ACCOUNT = `query($id: ID!) { ledgerAccount(id: $id) { ${ACCOUNT_FIELDS} } }`;
const INTEGRITY = `{ ledgerIntegrity { ok journalsChecked accountsChecked chainHeadHash brokenChainAt
  unbalancedJournals mismatchedAccounts } }`;
const BALANCES = '{ merchantBalances { accountId currency balanceMinor updatedAt } }';

interface Integrity {
  ok: boolean;
  journalsChecked: number;
  accountsChecked: number;
  chainHeadHash: string | null;
  brokenChainAt: string | null;
  unbalancedJournals: string[];
  mismatchedAccounts: string[];
}
interface AccountNode {
  id: string;
  kind: string;
  ownerId: string;
  currency: string;
  balanceMinor: number;
  debitBalanceMinor: number;
  normalSide: string;
  allowNegative: boolean;
}
interface EntryNode {
  id: string;
  kind: string;
  reference: string;
  sequence: number;
  previousHash: string;
  hash: string;
  postings: Array<{
    lineNumber: number;
    amountMinor: number;
    currency: string;
    account: AccountNode;
  }>;
}
interface EntriesPage {
  journalEntries: {
    edges: Array<{ cursor: string; node: EntryNode }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

const clearing = (gateway: string, currency = 'USD'): AccountRef => ({
  kind: 'gateway_clearing',
  ownerId: gateway,
  currency,
});
const merchantBalance = (merchantId: string, currency = 'USD'): AccountRef => ({
  kind: 'merchant_balance',
  ownerId: merchantId,
  currency,
});
const fees = (currency = 'USD'): AccountRef => ({ kind: 'fees', ownerId: 'platform', currency });
const wallet = (userId: string, currency = 'KES'): AccountRef => ({
  kind: 'user_wallet',
  ownerId: userId,
  currency,
});

/** Dr gateway clearing / Cr merchant balance net of fee / Cr fees. */
const capture = (
  merchantId: string,
  reference: string,
  amountMinor = 10000,
  feeMinor = 290,
  currency = 'USD',
): JournalInput => ({
  kind: 'payment.capture',
  reference,
  description: 'Card payment captured',
  postings: [
    { account: clearing('stripe', currency), amountMinor },
    { account: merchantBalance(merchantId, currency), amountMinor: -(amountMinor - feeMinor) },
    { account: fees(currency), amountMinor: -feeMinor },
  ],
});

describe('double-entry ledger (e2e)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let dataSource: DataSource;
  let admin: TestUser;
  let support: TestUser;
  let merchant: TestUser;
  let otherMerchant: TestUser;
  let customer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    ledger = t.app.get(LedgerService);
    dataSource = t.app.get(DataSource);
    admin = await createUser(t, { role: Role.ADMIN });
    support = await createUser(t, { role: Role.SUPPORT });
    merchant = await createUser(t, { role: Role.MERCHANT });
    otherMerchant = await createUser(t, { role: Role.MERCHANT });
    customer = await createUser(t);
  });
  afterAll(async () => t.close());

  // retries 0: a deadlock would surface as a failure instead of being retried away.
  const post = (journal: JournalInput, retries = 0): Promise<PostedJournal> =>
    withTransaction(dataSource, (manager) => ledger.post(manager, journal), { retries });

  const failureOf = async (journal: JournalInput): Promise<LedgerError> => {
    const error: unknown = await post(journal).then(
      () => new Error('expected the journal to be refused'),
      (caught: unknown) => caught,
    );
    if (!(error instanceof LedgerError)) throw error;
    return error;
  };

  const entriesWithReference = async (reference: string): Promise<EntryNode[]> => {
    const data = await t.gql.ok<EntriesPage>(ENTRIES, { reference }, admin.accessToken);
    return data.journalEntries.edges.map((edge) => edge.node);
  };

  const integrity = async (): Promise<Integrity> =>
    (await t.gql.ok<{ ledgerIntegrity: Integrity }>(INTEGRITY, {}, admin.accessToken))
      .ledgerIntegrity;

  it('posts a capture and a refund, and reads them back over GraphQL', async () => {
    const merchantId = merchant.merchantId!;
    const feesBefore = await ledger.balanceOf(fees());
    const reference = unique('pay');

    const posted = await post(capture(merchantId, reference));
    expect(posted.created).toBe(true);
    expect(await ledger.balanceOf(merchantBalance(merchantId))).toBe(9710);
    expect(await ledger.balanceOf(fees())).toBe(feesBefore + 290);

    const [entry] = await entriesWithReference(reference);
    expect(entry).toMatchObject({ id: posted.entryId, kind: 'payment.capture', reference });
    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.postings.map((posting) => [posting.lineNumber, posting.amountMinor])).toEqual([
      [1, 10000],
      [2, -9710],
      [3, -290],
    ]);
    expect(entry.postings[1].account).toMatchObject({
      kind: 'MERCHANT_BALANCE',
      ownerId: merchantId,
      currency: 'USD',
      balanceMinor: 9710,
      debitBalanceMinor: -9710,
      normalSide: 'CREDIT',
      allowNegative: true,
    });
    expect(entry.postings[0].account).toMatchObject({
      kind: 'GATEWAY_CLEARING',
      normalSide: 'DEBIT',
    });

    // Refund: Dr merchant balance / Cr gateway clearing.
    const refund = await post({
      kind: 'payment.refund',
      reference: unique('refund'),
      postings: [
        { account: merchantBalance(merchantId), amountMinor: 1000 },
        { account: clearing('stripe'), amountMinor: -1000 },
      ],
    });
    expect(refund.created).toBe(true);

    const accounts = await t.gql.ok<{ ledgerAccounts: { edges: Array<{ node: AccountNode }> } }>(
      ACCOUNTS,
      { kind: 'MERCHANT_BALANCE', ownerId: merchantId },
      admin.accessToken,
    );
    expect(accounts.ledgerAccounts.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({
        id: accountIdFor(merchantBalance(merchantId)),
        balanceMinor: 8710,
      }),
    ]);
    const one = await t.gql.ok<{ ledgerAccount: AccountNode }>(
      ACCOUNT,
      { id: accountIdFor(merchantBalance(merchantId)) },
      support.accessToken,
    );
    expect(one.ledgerAccount).toMatchObject({ balanceMinor: 8710, debitBalanceMinor: -8710 });

    // The account's statement, newest first, one page at a time.
    const accountId = accountIdFor(merchantBalance(merchantId));
    const first = await t.gql.ok<EntriesPage>(
      ENTRIES,
      { accountId, first: 1 },
      support.accessToken,
    );
    expect(first.journalEntries.edges.map((edge) => edge.node.id)).toEqual([refund.entryId]);
    expect(first.journalEntries.pageInfo.hasNextPage).toBe(true);
    const second = await t.gql.ok<EntriesPage>(
      ENTRIES,
      { accountId, first: 1, after: first.journalEntries.pageInfo.endCursor },
      support.accessToken,
    );
    expect(second.journalEntries.edges.map((edge) => edge.node.id)).toEqual([posted.entryId]);
    expect(second.journalEntries.pageInfo.hasNextPage).toBe(false);

    // Amounts beyond 32 bits travel as exact integers.
    await post(capture(merchantId, unique('pay'), 3_000_000_000, 60_000_000, 'INR'));
    const balances = await t.gql.ok<{
      merchantBalances: Array<{ currency: string; balanceMinor: number }>;
    }>(BALANCES, {}, merchant.accessToken);
    expect(balances.merchantBalances).toEqual([
      expect.objectContaining({ currency: 'INR', balanceMinor: 2_940_000_000 }),
      expect.objectContaining({ currency: 'USD', balanceMinor: 8710 }),
    ]);
  });

  it('changes nothing when the same (kind, reference) is posted again, even concurrently', async () => {
    const merchantId = otherMerchant.merchantId!;
    const reference = unique('pay');
    const first = await post(capture(merchantId, reference));
    const again = await post(capture(merchantId, reference, 5000, 100));
    expect(again).toEqual({ entryId: first.entryId, created: false });
    expect(await ledger.balanceOf(merchantBalance(merchantId))).toBe(9710);
    expect(await entriesWithReference(reference)).toHaveLength(1);

    // Eight transactions race to post one new journal: exactly one wins, none fails.
    const raced = unique('pay');
    const results = await Promise.all(
      Array.from({ length: 8 }, () => post(capture(merchantId, raced))),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.entryId)).size).toBe(1);
    expect(await ledger.balanceOf(merchantBalance(merchantId))).toBe(2 * 9710);
    expect(await entriesWithReference(raced)).toHaveLength(1);
  });

  it('refuses an unbalanced journal with an error naming the currency and the imbalance', async () => {
    const reference = unique('pay');
    const error = await failureOf({
      kind: 'payment.capture',
      reference,
      postings: [
        { account: clearing('stripe'), amountMinor: 10000 },
        { account: merchantBalance(merchant.merchantId!), amountMinor: -9900 },
      ],
    });
    expect(error.code).toBe(LedgerErrorCode.LEDGER_UNBALANCED);
    expect(error.kind).toBe('bad_input');
    expect(error.message).toMatch(/USD debits exceed credits by 100/);
    expect(await entriesWithReference(reference)).toHaveLength(0);
  });

  it('refuses to post outside a transaction', async () => {
    const reference = unique('pay');
    await expect(
      ledger.post(dataSource.manager, capture(merchant.merchantId!, reference)),
    ).rejects.toThrow(/inside the caller’s transaction/);
    expect(await entriesWithReference(reference)).toHaveLength(0);
  });

  it('refuses to take a wallet below zero, and rolls back the caller’s transaction', async () => {
    const userId = customer.id;
    const spend = (amountMinor: number): JournalInput => ({
      kind: 'wallet.spend',
      reference: unique('spend'),
      postings: [
        { account: wallet(userId), amountMinor },
        { account: merchantBalance(merchant.merchantId!, 'KES'), amountMinor: -amountMinor },
      ],
    });
    const empty = spend(500);
    const error = await failureOf(empty);
    expect(error.code).toBe(LedgerErrorCode.LEDGER_INSUFFICIENT_FUNDS);
    expect(error.kind).toBe('conflict');
    expect(await entriesWithReference(empty.reference)).toHaveLength(0);

    await post({
      kind: 'wallet.top_up',
      reference: unique('top-up'),
      postings: [
        { account: clearing('mpesa', 'KES'), amountMinor: 1000 },
        { account: wallet(userId), amountMinor: -1000 },
      ],
    });
    await post(spend(700));
    expect((await failureOf(spend(400))).code).toBe(LedgerErrorCode.LEDGER_INSUFFICIENT_FUNDS);
    expect(await ledger.balanceOf(wallet(userId))).toBe(300);
    await post(spend(300));
    expect(await ledger.balanceOf(wallet(userId))).toBe(0);
  });

  it('lands 40 concurrent journals over 4 shared accounts without a deadlock', async () => {
    const run = unique('run');
    const shared: AccountRef[] = [
      clearing(`gateway-${run}`),
      merchantBalance(`merchant-${run}`),
      { kind: 'fees', ownerId: `fees-${run}`, currency: 'USD' },
      { kind: 'suspense', ownerId: `suspense-${run}`, currency: 'USD' },
    ];
    const expected = new Map(shared.map((account) => [accountIdFor(account), 0]));
    // Each journal touches two to four of the accounts, listed in a different order each time.
    const journals: JournalInput[] = Array.from({ length: 40 }, (_, index) => {
      const size = 2 + (index % 3);
      const chosen = Array.from({ length: size }, (__, k) => shared[(index + k * 3) % 4]);
      const amounts = chosen.map((__, k) => (k === 0 ? 0 : -((index + 1) * 10 + k)));
      amounts[0] = -amounts.reduce((sum, amount) => sum + amount, 0);
      const postings = chosen.map((account, k) => ({ account, amountMinor: amounts[k] }));
      if (index % 2 === 1) postings.reverse();
      for (const posting of postings) {
        const id = accountIdFor(posting.account);
        expected.set(id, expected.get(id)! + posting.amountMinor);
      }
      return { kind: 'test.concurrency', reference: `${run}-${index}`, postings };
    });

    const results = await Promise.allSettled(journals.map((journal) => post(journal)));
    const failures = results.filter((result) => result.status === 'rejected');
    expect(failures).toEqual([]);

    const rows = (await dataSource.query(
      `SELECT account.id, account.balance_minor AS balance,
              (SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_postings WHERE account_id = account.id) AS posted
         FROM ledger_accounts account WHERE account.id IN (?)`,
      [[...expected.keys()]],
    )) as Array<{ id: string; balance: string; posted: string }>;
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(Number(row.balance)).toBe(expected.get(row.id));
      expect(Number(row.posted)).toBe(expected.get(row.id));
    }

    const report = await integrity();
    expect(report).toMatchObject({
      ok: true,
      brokenChainAt: null,
      unbalancedJournals: [],
      mismatchedAccounts: [],
    });
    expect(report.journalsChecked).toBeGreaterThanOrEqual(40);
    const [{ count, last }] = (await dataSource.query(
      'SELECT COUNT(*) AS count, MAX(sequence) AS last FROM journal_entries',
    )) as Array<{ count: string; last: string }>;
    expect(Number(last)).toBe(Number(count));
  });

  describe('roles', () => {
    const STAFF_QUERIES: Array<[string, string, Record<string, unknown>]> = [
      ['ledgerAccounts', ACCOUNTS, {}],
      ['ledgerAccount', ACCOUNT, { id: randomUUID() }],
      ['journalEntries', ENTRIES, {}],
      ['ledgerIntegrity', INTEGRITY, {}],
    ];

    it.each(STAFF_QUERIES)(
      'refuses %s to customers and merchants',
      async (_name, query, variables) => {
        for (const user of [customer, merchant]) {
          expect(await t.gql.errorCode(query, variables, user.accessToken)).toBe('FORBIDDEN');
        }
        expect(await t.gql.errorCode(query, variables)).toBe('UNAUTHENTICATED');
      },
    );

    it('lets support read the ledger but not run the integrity check', async () => {
      await t.gql.ok(ACCOUNTS, {}, support.accessToken);
      await t.gql.ok(ENTRIES, {}, support.accessToken);
      expect(await t.gql.errorCode(INTEGRITY, {}, support.accessToken)).toBe('FORBIDDEN');
      expect(await t.gql.errorCode(ACCOUNT, { id: randomUUID() }, support.accessToken)).toBe(
        'NOT_FOUND',
      );
    });

    it('shows a merchant only its own balances, by session or by a merchant:read key', async () => {
      await post(capture(otherMerchant.merchantId!, unique('pay'), 2000, 50, 'EUR'));
      const own = await t.gql.ok<{
        merchantBalances: Array<{ accountId: string; currency: string }>;
      }>(BALANCES, {}, merchant.accessToken);
      expect(own.merchantBalances.length).toBeGreaterThan(0);
      for (const balance of own.merchantBalances) {
        expect(balance.accountId).toBe(
          accountIdFor(merchantBalance(merchant.merchantId!, balance.currency)),
        );
      }
      const other = await t.gql.ok<{ merchantBalances: Array<{ currency: string }> }>(
        BALANCES,
        {},
        otherMerchant.accessToken,
      );
      expect(other.merchantBalances.map((balance) => balance.currency)).toEqual(['EUR', 'USD']);

      const createKey = async (scopes: string[]): Promise<string> =>
        (
          await t.gql.ok<{ createApiKey: { secret: string } }>(
            'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
            { input: { name: 'books', scopes } },
            merchant.accessToken,
          )
        ).createApiKey.secret;
      const viaKey = await t.gql.ok<{ merchantBalances: unknown[] }>(
        BALANCES,
        {},
        await createKey(['merchant:read']),
      );
      expect(viaKey.merchantBalances).toEqual(own.merchantBalances);
      expect(await t.gql.errorCode(BALANCES, {}, await createKey(['orders:read']))).toBe(
        'FORBIDDEN',
      );
      for (const user of [customer, support, admin]) {
        expect(await t.gql.errorCode(BALANCES, {}, user.accessToken)).toBe('FORBIDDEN');
      }
    });
  });

  // Last: it edits rows behind the service's back (and puts them back).
  it('reports a posting, entry or balance edited directly in SQL', async () => {
    expect((await integrity()).ok).toBe(true);
    const merchantId = merchant.merchantId!;
    const posted = await post(capture(merchantId, unique('pay')));
    const merchantAccount = accountIdFor(merchantBalance(merchantId));

    const editPosting = (delta: number) =>
      dataSource.query(
        'UPDATE ledger_postings SET amount_minor = amount_minor + ? WHERE journal_entry_id = ? AND line_number = 2',
        [delta, posted.entryId],
      );
    await editPosting(-1);
    expect(await integrity()).toMatchObject({
      ok: false,
      brokenChainAt: posted.entryId,
      unbalancedJournals: [posted.entryId],
      mismatchedAccounts: [merchantAccount],
    });
    await editPosting(1);
    expect((await integrity()).ok).toBe(true);

    await dataSource.query('UPDATE journal_entries SET description = ? WHERE id = ?', [
      'edited',
      posted.entryId,
    ]);
    expect(await integrity()).toMatchObject({
      ok: false,
      brokenChainAt: posted.entryId,
      unbalancedJournals: [],
      mismatchedAccounts: [],
    });
    await dataSource.query('UPDATE journal_entries SET description = ? WHERE id = ?', [
      'Card payment captured',
      posted.entryId,
    ]);

    await dataSource.query(
      'UPDATE ledger_accounts SET balance_minor = balance_minor - 5 WHERE id = ?',
      [merchantAccount],
    );
    expect(await integrity()).toMatchObject({
      ok: false,
      brokenChainAt: null,
      mismatchedAccounts: [merchantAccount],
    });
    await dataSource.query(
      'UPDATE ledger_accounts SET balance_minor = balance_minor + 5 WHERE id = ?',
      [merchantAccount],
    );
    const restored = await integrity();
    expect(restored.ok).toBe(true);
    expect(restored.chainHeadHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
