import { randomUUID } from 'node:crypto';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { systemActor } from '../../src/modules/audit/audit-actor';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import { Role } from '../../src/modules/users/role';
import { WalletPayoutSettlementService } from '../../src/modules/wallets/payouts/wallet-payout-settlement.service';
import { createUser, type TestUser } from '../factories/users.factory';
import {
  createPaymentsTestApp,
  eventually,
  type PaymentsTestApp,
} from '../utils/payments-test-app';
import { undescribed } from '../utils/schema-descriptions';
import { fundWallet } from '../factories/wallets.factory';

const PAYOUT_FIELDS = `id walletId userId gatewayCode amountMinor currency recipient note status holdId
  gatewayReferenceId failureCode failureMessage needsReview reviewReason reconcileAttempts settledAt`;
const WALLET_FIELDS = 'id currency status balanceMinor heldMinor availableMinor';
const OPEN = `mutation($input: OpenWalletInput!) { openWallet(input: $input) { ${WALLET_FIELDS} } }`;
const WALLET = `query($id: ID!) { wallet(id: $id) { ${WALLET_FIELDS} } }`;
const FREEZE = `mutation($input: WalletStatusInput!) { freezeWallet(input: $input) { id status } }`;
const LIMITS = `mutation($input: SetWalletLimitsInput!) { setWalletLimits(input: $input) { id } }`;
const HOLDS = `query($walletId: ID!) {
  walletHolds(walletId: $walletId) { edges { node { id status amountMinor capturedAmountMinor reference expiresAt } } }
}`;
const WITHDRAW = `mutation($input: WithdrawFundsInput!) { withdrawFunds(input: $input) { ${PAYOUT_FIELDS} } }`;
const PAYOUT = `query($id: ID!) { walletPayout(id: $id) { ${PAYOUT_FIELDS} } }`;
const PAYOUTS = `query($walletId: ID, $status: WalletPayoutStatus, $needsReview: Boolean) {
  walletPayouts(walletId: $walletId, status: $status, needsReview: $needsReview) { edges { node { id status } } }
}`;
const RECONCILE = `mutation($id: ID!) { reconcileWalletPayout(id: $id) { ${PAYOUT_FIELDS} } }`;
const REPROCESS = `mutation($id: ID!) { reprocessGatewayWebhookEvent(id: $id) { id status } }`;

/** The sandbox payee that always receives (M-Pesa simulator). */
const MPESA_OK = '254708374149';
/** 2547000NNNNN answers ResultCode NNNNN: 2040 is "unregistered customer". */
const MPESA_UNREGISTERED = '254700002040';

interface WalletNode {
  id: string;
  currency: string;
  status: string;
  balanceMinor: number;
  heldMinor: number;
  availableMinor: number;
}
interface PayoutNode {
  id: string;
  walletId: string;
  userId: string;
  gatewayCode: 'MPESA' | 'PAYPAL';
  amountMinor: number;
  currency: string;
  recipient: string;
  note: string | null;
  status: 'PENDING' | 'PROCESSING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';
  holdId: string;
  gatewayReferenceId: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  needsReview: boolean;
  reviewReason: string | null;
  reconcileAttempts: number;
  settledAt: string | null;
}
interface HoldNode {
  id: string;
  status: string;
  amountMinor: number;
  capturedAmountMinor: number;
  reference: string;
  expiresAt: string;
}
interface MpesaState {
  moneyOut: { type: string; originatorConversationId: string; amountKes: number; partyB: string }[];
  statusQueries: number;
}
interface PaypalState {
  payouts: Record<string, { batchId: string; senderBatchId: string; status: string }>;
}

describe('Wallet withdrawals to M-Pesa and PayPal (e2e)', () => {
  let t: PaymentsTestApp;
  let db: DataSource;
  let ledger: LedgerService;
  let admin: TestUser;
  let secondAdmin: TestUser;

  beforeAll(async () => {
    t = await createPaymentsTestApp();
    db = t.app.get(DataSource);
    ledger = t.app.get(LedgerService);
    admin = await createUser(t, { role: Role.ADMIN });
    secondAdmin = await createUser(t, { role: Role.ADMIN });
  });

  afterAll(async () => {
    // Every journal this file posted must still check out.
    const report = await t?.app.get(LedgerService).verify();
    await t?.close();
    expect(report?.ok).toBe(true);
  });

  beforeEach(async () => {
    await t.resetSimulators();
  });

  // ---- helpers ----

  const openWallet = async (user: TestUser, currency: string): Promise<WalletNode> =>
    (await t.gql.ok<{ openWallet: WalletNode }>(OPEN, { input: { currency } }, user.accessToken))
      .openWallet;

  const walletOf = async (id: string): Promise<WalletNode> =>
    (await t.gql.ok<{ wallet: WalletNode }>(WALLET, { id }, admin.accessToken)).wallet;

  /** Money enters a wallet here only by a two-admin adjustment, as in wallets.e2e-spec.ts. */
  const fund = (walletId: string, amountMinor: number): Promise<void> =>
    fundWallet(t, walletId, amountMinor, admin, secondAdmin);

  const fundedWallet = async (
    currency: 'KES' | 'USD',
    amountMinor: number,
    role: Role = Role.CUSTOMER,
  ): Promise<{ user: TestUser; wallet: WalletNode }> => {
    const user = await createUser(t, { role });
    const wallet = await openWallet(user, currency);
    await fund(wallet.id, amountMinor);
    return { user, wallet };
  };

  const withdraw = (user: TestUser, input: Record<string, unknown>) =>
    t.gql.request<{ withdrawFunds: PayoutNode }>(
      WITHDRAW,
      { input: { idempotencyKey: randomUUID(), ...input } },
      user.accessToken,
    );

  const withdrawOk = async (
    user: TestUser,
    input: Record<string, unknown>,
  ): Promise<PayoutNode> => {
    const result = await withdraw(user, input);
    if (result.errors?.length) throw new Error(`withdrawFunds: ${JSON.stringify(result.errors)}`);
    return result.data!.withdrawFunds;
  };

  const failure = async (
    result: Promise<{ errors?: { extensions?: { code?: string; reason?: string } }[] }>,
  ): Promise<{ code?: string; reason?: string }> => {
    const { errors } = await result;
    expect(errors?.length).toBeGreaterThan(0);
    return { code: errors![0]!.extensions?.code, reason: errors![0]!.extensions?.reason };
  };

  const payoutOf = async (id: string, token = admin.accessToken): Promise<PayoutNode> =>
    (await t.gql.ok<{ walletPayout: PayoutNode }>(PAYOUT, { id }, token)).walletPayout;

  const settled = (id: string, statuses: PayoutNode['status'][], timeoutMs = 15_000) =>
    eventually(
      async () => {
        const payout = await payoutOf(id);
        return statuses.includes(payout.status) ? payout : undefined;
      },
      { what: `payout ${id} in ${statuses.join('/')}`, timeoutMs },
    );

  const holdOf = async (user: TestUser, walletId: string, holdId: string): Promise<HoldNode> => {
    const { walletHolds } = await t.gql.ok<{ walletHolds: { edges: { node: HoldNode }[] } }>(
      HOLDS,
      { walletId },
      user.accessToken,
    );
    const hold = walletHolds.edges.map((edge) => edge.node).find((node) => node.id === holdId);
    if (!hold) throw new Error(`hold ${holdId} not listed`);
    return hold;
  };

  const mpesaState = async (): Promise<MpesaState> =>
    (await (await fetch(`${t.simulators.urls.mpesa}/__sim/state`)).json()) as MpesaState;
  const paypalState = async (): Promise<PaypalState> =>
    (await (await fetch(`${t.simulators.urls.paypal}/__sim/state`)).json()) as PaypalState;

  const clearing = (gateway: string, currency: string): Promise<number> =>
    ledger.balanceOf({ kind: 'gateway_clearing', ownerId: gateway, currency });

  /** The capture journal of a hold: account kind/owner and signed (debit-positive) amount per line. */
  const captureJournal = async (holdId: string) =>
    (
      (await db.query(
        `SELECT account.kind AS kind, account.owner_id AS ownerId, posting.amount_minor AS amount
           FROM journal_entries entry
           JOIN ledger_postings posting ON posting.journal_entry_id = entry.id
           JOIN ledger_accounts account ON account.id = posting.account_id
          WHERE entry.kind = 'wallet.hold.capture' AND entry.reference = ?
          ORDER BY posting.line_number`,
        [holdId],
      )) as { kind: string; ownerId: string; amount: string }[]
    ).map((row) => ({ kind: row.kind, ownerId: row.ownerId, amount: Number(row.amount) }));

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    Number(((await db.query(sql, params)) as { n: string | number }[])[0]!.n);

  // ---- schema ----

  it('describes every payout type, field, argument and enum value', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    expect(undescribed(schema, (name: string) => /payout|withdraw/i.test(name))).toEqual([]);
  });

  // ---- M-Pesa ----

  it('pays out by M-Pesa B2C: held, then captured into gateway_clearing when the result is confirmed', async () => {
    const { user, wallet } = await fundedWallet('KES', 100_000);
    const clearingBefore = await clearing('mpesa', 'KES');
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 50_000,
      gatewayCode: 'MPESA',
      phone: `+${MPESA_OK}`,
      note: 'rent',
    });
    expect(payout).toMatchObject({
      walletId: wallet.id,
      userId: user.id,
      gatewayCode: 'MPESA',
      amountMinor: 50_000,
      currency: 'KES',
      recipient: MPESA_OK,
    });
    expect(['PROCESSING', 'SUCCEEDED']).toContain(payout.status);
    // Held at once: still in the balance, no longer available.
    const during = await walletOf(wallet.id);
    if (payout.status === 'PROCESSING') {
      expect(during).toMatchObject({ balanceMinor: 100_000, availableMinor: 50_000 });
    }

    const done = await settled(payout.id, ['SUCCEEDED']);
    expect(done.settledAt).not.toBeNull();
    expect(done.needsReview).toBe(false);
    expect(done.failureCode).toBeNull();
    expect(await walletOf(wallet.id)).toMatchObject({
      balanceMinor: 50_000,
      heldMinor: 0,
      availableMinor: 50_000,
    });
    expect(await holdOf(user, wallet.id, payout.holdId)).toMatchObject({
      status: 'CAPTURED',
      amountMinor: 50_000,
      capturedAmountMinor: 50_000,
      reference: `payout:${payout.id}`,
    });
    // Dr wallet / Cr gateway_clearing:mpesa:KES.
    expect(await captureJournal(payout.holdId)).toEqual([
      { kind: 'user_wallet', ownerId: wallet.id, amount: 50_000 },
      { kind: 'gateway_clearing', ownerId: 'mpesa', amount: -50_000 },
    ]);
    expect((await clearing('mpesa', 'KES')) - clearingBefore).toBe(-50_000);
    // One B2C, with our payout id as OriginatorConversationID; the unsigned result was confirmed by a status query.
    const state = await mpesaState();
    expect(state.moneyOut.filter((entry) => entry.type === 'b2c')).toEqual([
      expect.objectContaining({
        originatorConversationId: payout.id,
        amountKes: 500,
        partyB: MPESA_OK,
      }),
    ]);
    expect(state.statusQueries).toBeGreaterThanOrEqual(1);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('releases the hold when the M-Pesa recipient cannot be paid', async () => {
    const { user, wallet } = await fundedWallet('KES', 100_000);
    const clearingBefore = await clearing('mpesa', 'KES');
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 30_000,
      gatewayCode: 'MPESA',
      phone: MPESA_UNREGISTERED,
    });
    const failed = await settled(payout.id, ['FAILED']);
    // The status answer only says "Failed"; the reason heard in the first result is kept.
    expect(failed.failureCode).toBe('2040');
    expect(failed.failureMessage).toBeTruthy();
    expect(failed.settledAt).not.toBeNull();
    expect(await walletOf(wallet.id)).toMatchObject({
      balanceMinor: 100_000,
      heldMinor: 0,
      availableMinor: 100_000,
    });
    expect((await holdOf(user, wallet.id, payout.holdId)).status).toBe('RELEASED');
    expect(await captureJournal(payout.holdId)).toEqual([]);
    expect(await clearing('mpesa', 'KES')).toBe(clearingBefore);
  });

  it('debits once however often the same result arrives', async () => {
    // Every callback the simulator sends arrives three times.
    await t.fault('mpesa', { action: 'callback_duplicate', count: 3, times: 10 });
    const { user, wallet } = await fundedWallet('KES', 100_000);
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 20_000,
      gatewayCode: 'MPESA',
      phone: MPESA_OK,
    });
    await settled(payout.id, ['SUCCEEDED']);
    const succeededEvent = await eventually(
      async () => {
        const rows = (await db.query(
          `SELECT id FROM webhook_events
            WHERE gateway_code = 'mpesa' AND type = 'payout.succeeded' AND status = 'PROCESSED'
              AND payload LIKE ?`,
          [`%${payout.id}%`],
        )) as { id: string }[];
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the processed payout event' },
    );
    // An admin replays the stored event on purpose: still one debit.
    await t.gql.ok(REPROCESS, { id: succeededEvent[0]!.id }, admin.accessToken);
    await eventually(async () =>
      (await count(`SELECT COUNT(*) n FROM webhook_events WHERE id = ? AND status = 'PROCESSED'`, [
        succeededEvent[0]!.id,
      ])) === 1
        ? true
        : undefined,
    );
    expect(
      await count(
        `SELECT COUNT(*) n FROM journal_entries WHERE kind = 'wallet.hold.capture' AND reference = ?`,
        [payout.holdId],
      ),
    ).toBe(1);
    // The inbox kept one row per gateway event.
    expect(
      (await db.query(
        `SELECT gateway_event_id, COUNT(*) n FROM webhook_events GROUP BY gateway_code, gateway_event_id HAVING n > 1`,
      )) as unknown[],
    ).toEqual([]);
    expect((await walletOf(wallet.id)).balanceMinor).toBe(80_000);
    expect(
      await count(
        `SELECT COUNT(*) n FROM audit_log WHERE object_id = ? AND action = 'wallet.payout.succeeded'`,
        [payout.id],
      ),
    ).toBe(1);
  });

  it('recovers a lost M-Pesa result through the reconciler’s status query', async () => {
    // The B2C result never arrives; the answer to the reconciler's status query does.
    await t.fault('mpesa', { action: 'callback_drop', times: 1 });
    const { user, wallet } = await fundedWallet('KES', 100_000);
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 10_000,
      gatewayCode: 'MPESA',
      phone: MPESA_OK,
    });
    expect(payout.status).toBe('PROCESSING');
    const done = await settled(payout.id, ['SUCCEEDED']);
    expect(done.reconcileAttempts).toBeGreaterThanOrEqual(1);
    expect((await mpesaState()).statusQueries).toBeGreaterThanOrEqual(1);
    expect(
      await count(
        `SELECT COUNT(*) n FROM webhook_events WHERE gateway_code = 'mpesa' AND gateway_event_id LIKE 'result:%' AND payload LIKE ?`,
        [`%${payout.id}%`],
      ),
    ).toBe(0);
    expect((await walletOf(wallet.id)).balanceMinor).toBe(90_000);
  });

  it('does not answer a failed M-Pesa status query with another query (no query loop)', async () => {
    const { user, wallet } = await fundedWallet('KES', 100_000);
    // The B2C result is lost and M-Pesa no longer knows the request: every status query is
    // answered by a Result with an error code and no TransactionStatus (here R000002).
    await t.fault('mpesa', { action: 'callback_drop', times: 1 });
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 10_000,
      gatewayCode: 'MPESA',
      phone: MPESA_OK,
    });
    await t.resetSimulators();
    expect(payout.status).toBe('PROCESSING');
    const flagged = await eventually(
      async () => {
        const current = await payoutOf(payout.id);
        return current.needsReview ? current : undefined;
      },
      { what: 'the review flag', timeoutMs: 20_000 },
    );
    // Only the reconciler's scheduled checks asked; the failed answers asked nothing more.
    const queries = (await mpesaState()).statusQueries;
    expect(queries).toBeGreaterThanOrEqual(1);
    expect(queries).toBeLessThanOrEqual(flagged.reconcileAttempts + 1);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await mpesaState()).statusQueries).toBe(queries);
    // The query's own error is not the payout's failure reason; the money stays held.
    expect(await payoutOf(payout.id)).toMatchObject({
      status: 'PROCESSING',
      failureCode: null,
      needsReview: true,
    });
    expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 100_000, heldMinor: 10_000 });
  });

  it('refuses before holding anything what M-Pesa would refuse', async () => {
    const { user, wallet } = await fundedWallet('KES', 100_000);
    const { wallet: usdWallet } = await (async () => {
      const usd = await openWallet(user, 'USD');
      await fund(usd.id, 10_000);
      return { wallet: usd };
    })();
    // Cents: M-Pesa takes whole shillings.
    expect(
      await failure(
        withdraw(user, {
          walletId: wallet.id,
          amountMinor: 10_050,
          gatewayCode: 'MPESA',
          phone: MPESA_OK,
        }),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', reason: 'WALLET_INVALID_INPUT' });
    // No phone, or an email instead.
    expect(
      await failure(
        withdraw(user, { walletId: wallet.id, amountMinor: 10_000, gatewayCode: 'MPESA' }),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', reason: 'WALLET_INVALID_INPUT' });
    expect(
      await failure(
        withdraw(user, {
          walletId: wallet.id,
          amountMinor: 10_000,
          gatewayCode: 'MPESA',
          phone: '14155550100',
        }),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', reason: 'WALLET_INVALID_INPUT' });
    // M-Pesa pays KES only.
    expect(
      await failure(
        withdraw(user, {
          walletId: usdWallet.id,
          amountMinor: 1_000,
          gatewayCode: 'MPESA',
          phone: MPESA_OK,
        }),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', reason: 'WALLET_PAYOUT_NOT_SUPPORTED' });
    // PayPal needs an email.
    expect(
      await failure(
        withdraw(user, { walletId: usdWallet.id, amountMinor: 1_000, gatewayCode: 'PAYPAL' }),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', reason: 'WALLET_INVALID_INPUT' });
    expect(await walletOf(wallet.id)).toMatchObject({ heldMinor: 0, availableMinor: 100_000 });
    expect(await count('SELECT COUNT(*) n FROM wallet_payouts WHERE user_id = ?', [user.id])).toBe(
      0,
    );
    expect((await mpesaState()).moneyOut).toEqual([]);
  });

  it('refuses a withdrawal above the available balance, from a frozen wallet, or over the limit, sending nothing', async () => {
    const { user, wallet } = await fundedWallet('KES', 10_000);
    expect(
      await failure(
        withdraw(user, {
          walletId: wallet.id,
          amountMinor: 20_000,
          gatewayCode: 'MPESA',
          phone: MPESA_OK,
        }),
      ),
    ).toEqual({ code: 'CONFLICT', reason: 'WALLET_INSUFFICIENT_FUNDS' });

    await t.gql.ok(
      LIMITS,
      { input: { walletId: wallet.id, maxTransferMinor: 5_000 } },
      admin.accessToken,
    );
    expect(
      await failure(
        withdraw(user, {
          walletId: wallet.id,
          amountMinor: 6_000,
          gatewayCode: 'MPESA',
          phone: MPESA_OK,
        }),
      ),
    ).toEqual({ code: 'CONFLICT', reason: 'WALLET_LIMIT_EXCEEDED' });

    await t.gql.ok(FREEZE, { input: { walletId: wallet.id, reason: 'test' } }, admin.accessToken);
    expect(
      await failure(
        withdraw(user, {
          walletId: wallet.id,
          amountMinor: 1_000,
          gatewayCode: 'MPESA',
          phone: MPESA_OK,
        }),
      ),
    ).toEqual({ code: 'CONFLICT', reason: 'WALLET_FROZEN' });

    expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 10_000, heldMinor: 0 });
    expect(
      await count('SELECT COUNT(*) n FROM wallet_payouts WHERE wallet_id = ?', [wallet.id]),
    ).toBe(0);
    expect(
      await count('SELECT COUNT(*) n FROM wallet_holds WHERE wallet_id = ?', [wallet.id]),
    ).toBe(0);
    expect((await mpesaState()).moneyOut).toEqual([]);
  });

  it('returns the same payout for a retried idempotency key and pays once', async () => {
    const { user, wallet } = await fundedWallet('KES', 100_000);
    const input = {
      walletId: wallet.id,
      amountMinor: 10_000,
      gatewayCode: 'MPESA',
      phone: MPESA_OK,
      idempotencyKey: `withdraw-${randomUUID()}`,
    };
    const first = await withdrawOk(user, input);
    const again = await withdrawOk(user, input);
    expect(again.id).toBe(first.id);
    expect(await failure(withdraw(user, { ...input, amountMinor: 20_000 }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'IDEMPOTENCY_KEY_MISMATCH',
    });
    await settled(first.id, ['SUCCEEDED']);
    expect(
      await count('SELECT COUNT(*) n FROM wallet_payouts WHERE wallet_id = ?', [wallet.id]),
    ).toBe(1);
    expect((await mpesaState()).moneyOut.filter((entry) => entry.type === 'b2c')).toHaveLength(1);
    expect((await walletOf(wallet.id)).balanceMinor).toBe(90_000);
  });

  // ---- PayPal ----

  it('pays out by PayPal and settles on the signed webhook', async () => {
    const { user, wallet } = await fundedWallet('USD', 20_000, Role.MERCHANT);
    const clearingBefore = await clearing('paypal', 'USD');
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 5_000,
      gatewayCode: 'PAYPAL',
      email: 'Payee@Example.com',
    });
    expect(payout.recipient).toBe('payee@example.com');
    const done = await settled(payout.id, ['SUCCEEDED']);
    const batches = Object.values((await paypalState()).payouts);
    expect(batches).toEqual([expect.objectContaining({ senderBatchId: payout.id })]);
    expect(done.gatewayReferenceId).toBe(batches[0]!.batchId);
    expect(await walletOf(wallet.id)).toMatchObject({
      balanceMinor: 15_000,
      availableMinor: 15_000,
    });
    expect((await holdOf(user, wallet.id, payout.holdId)).status).toBe('CAPTURED');
    expect(await captureJournal(payout.holdId)).toEqual([
      { kind: 'user_wallet', ownerId: wallet.id, amount: 5_000 },
      { kind: 'gateway_clearing', ownerId: 'paypal', amount: -5_000 },
    ]);
    expect((await clearing('paypal', 'USD')) - clearingBefore).toBe(-5_000);
  });

  it('gives the money back when PayPal fails the payout item', async () => {
    const { user, wallet } = await fundedWallet('USD', 20_000);
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 7_000,
      gatewayCode: 'PAYPAL',
      email: 'will-fail@example.com',
    });
    const failed = await settled(payout.id, ['FAILED']);
    expect(failed.failureCode).toBeTruthy();
    expect(await walletOf(wallet.id)).toMatchObject({
      balanceMinor: 20_000,
      heldMinor: 0,
      availableMinor: 20_000,
    });
    expect((await holdOf(user, wallet.id, payout.holdId)).status).toBe('RELEASED');
    expect(await captureJournal(payout.holdId)).toEqual([]);
  });

  it('fails at once and releases the hold when PayPal refuses the request as invalid', async () => {
    await t.fault('paypal', {
      action: 'error',
      method: 'POST',
      path: '^/v1/payments/payouts$',
      status: 400,
      body: '{"name":"VALIDATION_ERROR","message":"Invalid request - see details"}',
      times: 1,
    });
    const { user, wallet } = await fundedWallet('USD', 20_000);
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 4_000,
      gatewayCode: 'PAYPAL',
      email: 'payee@example.com',
    });
    expect(payout.status).toBe('FAILED');
    expect(payout.failureCode).toBe('VALIDATION_ERROR');
    expect(await walletOf(wallet.id)).toMatchObject({
      balanceMinor: 20_000,
      availableMinor: 20_000,
    });
    expect((await holdOf(user, wallet.id, payout.holdId)).status).toBe('RELEASED');
    expect(Object.values((await paypalState()).payouts)).toEqual([]);
  });

  it('keeps the money held when PayPal answers 503, since it may have acted, and settles once by asking again', async () => {
    // A 5xx (or, for M-Pesa, a refusal after the transport resent a timed-out request) does not
    // prove the payout was not made: failing it would give back money that may have left.
    await t.fault('paypal', {
      action: 'error',
      method: 'POST',
      path: '^/v1/payments/payouts$',
      status: 503,
      times: 1,
    });
    const { user, wallet } = await fundedWallet('USD', 20_000);
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 4_000,
      gatewayCode: 'PAYPAL',
      email: 'payee@example.com',
    });
    expect(payout.status).toBe('UNKNOWN');
    expect(payout.failureCode).toBeNull();
    expect(payout.failureMessage).toMatch(/unavailable/);
    expect(await walletOf(wallet.id)).toMatchObject({
      balanceMinor: 20_000,
      heldMinor: 4_000,
      availableMinor: 16_000,
    });
    // The reconciler sends it again under the same id and learns the outcome.
    const done = await settled(payout.id, ['SUCCEEDED']);
    expect(done.needsReview).toBe(false);
    expect(Object.values((await paypalState()).payouts)).toEqual([
      expect.objectContaining({ senderBatchId: payout.id }),
    ]);
    expect(await walletOf(wallet.id)).toMatchObject({
      balanceMinor: 16_000,
      heldMinor: 0,
      availableMinor: 16_000,
    });
    expect(
      await count(
        `SELECT COUNT(*) n FROM journal_entries WHERE kind = 'wallet.hold.capture' AND reference = ?`,
        [payout.holdId],
      ),
    ).toBe(1);
  });

  it('settles a PayPal payout whose webhook was lost through the reconciler', async () => {
    await t.fault('paypal', { action: 'callback_drop', times: 5 });
    const { user, wallet } = await fundedWallet('USD', 20_000);
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 3_000,
      gatewayCode: 'PAYPAL',
      email: 'payee@example.com',
    });
    expect(payout.status).toBe('PROCESSING');
    await settled(payout.id, ['SUCCEEDED']);
    expect(
      await count(
        `SELECT COUNT(*) n FROM audit_log WHERE object_id = ? AND action = 'wallet.payout.succeeded'
            AND JSON_UNQUOTE(JSON_EXTRACT(details, '$.source')) = 'reconciliation'`,
        [payout.id],
      ),
    ).toBe(1);
    expect((await walletOf(wallet.id)).balanceMinor).toBe(17_000);
  });

  it('keeps the money held when the PayPal call times out, then the reconciler settles it once', async () => {
    // PayPal creates the payout but the answer never comes back, and its webhooks are lost too.
    await t.fault('paypal', {
      action: 'hang_after_commit',
      method: 'POST',
      path: '^/v1/payments/payouts$',
      ms: 4_000,
      times: 1,
    });
    await t.fault('paypal', { action: 'callback_drop', times: 5 });
    const { user, wallet } = await fundedWallet('USD', 20_000);
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 6_000,
      gatewayCode: 'PAYPAL',
      email: 'payee@example.com',
    });
    expect(payout.status).toBe('UNKNOWN');
    expect(payout.failureMessage).toMatch(/timeout/);
    expect(await walletOf(wallet.id)).toMatchObject({
      balanceMinor: 20_000,
      heldMinor: 6_000,
      availableMinor: 14_000,
    });
    const done = await settled(payout.id, ['SUCCEEDED']);
    expect(done.gatewayReferenceId).toBeTruthy();
    // The reconciler asked again under the same id: PayPal still holds one batch.
    expect(Object.values((await paypalState()).payouts)).toHaveLength(1);
    expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 14_000, heldMinor: 0 });
    expect(
      await count(
        `SELECT COUNT(*) n FROM journal_entries WHERE kind = 'wallet.hold.capture' AND reference = ?`,
        [payout.holdId],
      ),
    ).toBe(1);
  });

  it('flags a payout still open after the last check for review, money held, and renews its hold', async () => {
    // PayPal keeps an unclaimed payout pending (the payee has no account yet).
    const { user, wallet } = await fundedWallet('USD', 20_000);
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 2_000,
      gatewayCode: 'PAYPAL',
      email: 'unclaimed@example.com',
    });
    // A hold about to lapse is pushed out again while the payout is open.
    await db.query('UPDATE wallet_holds SET expires_at = ? WHERE id = ?', [
      new Date(Date.now() + 60_000),
      payout.holdId,
    ]);
    await eventually(
      async () => {
        const hold = await holdOf(user, wallet.id, payout.holdId);
        return new Date(hold.expiresAt).getTime() > Date.now() + 20 * 86_400_000 ? hold : undefined;
      },
      { what: 'the renewed hold' },
    );
    const flagged = await eventually(
      async () => {
        const current = await payoutOf(payout.id);
        return current.needsReview ? current : undefined;
      },
      { what: 'the review flag', timeoutMs: 20_000 },
    );
    expect(flagged.status).toBe('PROCESSING');
    expect(flagged.reviewReason).toMatch(/reconciliation checks/);
    expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 20_000, heldMinor: 2_000 });
    const listed = await t.gql.ok<{ walletPayouts: { edges: { node: { id: string } }[] } }>(
      PAYOUTS,
      { needsReview: true },
      admin.accessToken,
    );
    expect(listed.walletPayouts.edges.map((edge) => edge.node.id)).toContain(payout.id);

    // An admin can still ask now; PayPal still says unclaimed, so nothing moves.
    const checked = await t.gql.ok<{ reconcileWalletPayout: PayoutNode }>(
      RECONCILE,
      { id: payout.id },
      admin.accessToken,
    );
    expect(checked.reconcileWalletPayout).toMatchObject({
      status: 'PROCESSING',
      needsReview: true,
    });
  });

  it('flags a success reported after the payout was failed and released, without debiting', async () => {
    const { user, wallet } = await fundedWallet('USD', 20_000);
    const payout = await withdrawOk(user, {
      walletId: wallet.id,
      amountMinor: 1_000,
      gatewayCode: 'PAYPAL',
      email: 'fail-late@example.com',
    });
    await settled(payout.id, ['FAILED']);
    const settlement = t.app.get(WalletPayoutSettlementService);
    const after = await settlement.apply(
      payout.id,
      {
        status: 'succeeded',
        payoutReference: { id: payout.gatewayReferenceId ?? payout.id },
        amount: { amountMinor: 1_000, currency: 'USD' },
      },
      'reconciliation',
      systemActor('test'),
    );
    expect(after).toMatchObject({ status: 'FAILED', needsReview: true });
    expect(after.reviewReason).toMatch(/succeeded after/);
    expect(await captureJournal(payout.holdId)).toEqual([]);
    expect(await walletOf(wallet.id)).toMatchObject({
      balanceMinor: 20_000,
      availableMinor: 20_000,
    });
    expect((await holdOf(user, wallet.id, payout.holdId)).status).toBe('RELEASED');
  });

  it('does not debit on a success that reports another amount, or none at all', async () => {
    // Unclaimed PayPal payouts stay PROCESSING, so only the news below can settle these.
    const { user, wallet } = await fundedWallet('USD', 20_000);
    const settlement = t.app.get(WalletPayoutSettlementService);
    for (const amount of [
      { amountMinor: 999, currency: 'USD' },
      { amountMinor: 0, currency: 'USD' },
      { amountMinor: 0, currency: 'EUR' },
    ]) {
      const payout = await withdrawOk(user, {
        walletId: wallet.id,
        amountMinor: 1_000,
        gatewayCode: 'PAYPAL',
        email: 'unclaimed@example.com',
      });
      expect(payout.status).toBe('PROCESSING');
      const after = await settlement.apply(
        payout.id,
        { status: 'succeeded', payoutReference: { id: payout.gatewayReferenceId! }, amount },
        'reconciliation',
        systemActor('test'),
      );
      expect(after).toMatchObject({ status: 'PROCESSING', needsReview: true });
      expect(after.reviewReason).toMatch(/was asked for/);
      expect(await captureJournal(payout.holdId)).toEqual([]);
      expect((await holdOf(user, wallet.id, payout.holdId)).status).toBe('ACTIVE');
    }
    expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 20_000, heldMinor: 3_000 });
  });

  // ---- access ----

  it('keeps withdrawals private to the owner and reconciliation to admins', async () => {
    const { user: owner, wallet } = await fundedWallet('KES', 50_000);
    const stranger = await createUser(t);
    const support = await createUser(t, { role: Role.SUPPORT });
    expect(
      await failure(
        withdraw(stranger, {
          walletId: wallet.id,
          amountMinor: 1_000,
          gatewayCode: 'MPESA',
          phone: MPESA_OK,
        }),
      ),
    ).toEqual({ code: 'NOT_FOUND', reason: 'WALLET_NOT_FOUND' });
    // Staff may look but not withdraw from someone else's wallet.
    expect(
      await failure(
        withdraw(admin, {
          walletId: wallet.id,
          amountMinor: 1_000,
          gatewayCode: 'MPESA',
          phone: MPESA_OK,
        }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });

    const payout = await withdrawOk(owner, {
      walletId: wallet.id,
      amountMinor: 1_000,
      gatewayCode: 'MPESA',
      phone: MPESA_OK,
    });
    expect(await t.gql.errorCode(PAYOUT, { id: payout.id }, stranger.accessToken)).toBe(
      'NOT_FOUND',
    );
    expect(await t.gql.errorCode(PAYOUTS, { walletId: wallet.id }, stranger.accessToken)).toBe(
      'NOT_FOUND',
    );
    expect((await payoutOf(payout.id, owner.accessToken)).id).toBe(payout.id);
    expect((await payoutOf(payout.id, support.accessToken)).id).toBe(payout.id);
    const own = await t.gql.ok<{ walletPayouts: { edges: { node: { id: string } }[] } }>(
      PAYOUTS,
      {},
      owner.accessToken,
    );
    expect(own.walletPayouts.edges.map((edge) => edge.node.id)).toEqual([payout.id]);
    const strangers = await t.gql.ok<{ walletPayouts: { edges: unknown[] } }>(
      PAYOUTS,
      {},
      stranger.accessToken,
    );
    expect(strangers.walletPayouts.edges).toEqual([]);

    expect(await t.gql.errorCode(RECONCILE, { id: payout.id }, owner.accessToken)).toBe(
      'FORBIDDEN',
    );
    expect(await t.gql.errorCode(RECONCILE, { id: payout.id }, support.accessToken)).toBe(
      'FORBIDDEN',
    );
    await settled(payout.id, ['SUCCEEDED']);
    const reconciled = await t.gql.ok<{ reconcileWalletPayout: PayoutNode }>(
      RECONCILE,
      { id: payout.id },
      admin.accessToken,
    );
    expect(reconciled.reconcileWalletPayout.status).toBe('SUCCEEDED');
    // Signed-out callers are refused before anything else.
    expect(
      await t.gql.errorCode(WITHDRAW, {
        input: {
          walletId: wallet.id,
          amountMinor: 1_000,
          gatewayCode: 'MPESA',
          phone: MPESA_OK,
          idempotencyKey: randomUUID(),
        },
      }),
    ).toBe('UNAUTHENTICATED');
  });
});
