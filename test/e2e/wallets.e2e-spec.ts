import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../../src/modules/audit/audit.types';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import { Role } from '../../src/modules/users/role';
import { WalletHoldsService } from '../../src/modules/wallets/wallet-holds.service';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';
import { undescribed } from '../utils/schema-descriptions';
import { fundWallet } from '../factories/wallets.factory';

const WALLET_FIELDS = `id userId currency status balanceMinor heldMinor availableMinor
  dailyTransferLimitMinor maxTransferMinor`;
const OPEN = `mutation($input: OpenWalletInput!) { openWallet(input: $input) { ${WALLET_FIELDS} } }`;
const WALLET = `query($id: ID!) { wallet(id: $id) { ${WALLET_FIELDS} } }`;
const WALLETS = `query($userId: ID) { wallets(userId: $userId) { edges { node { ${WALLET_FIELDS} } } } }`;
const TRANSFER = `mutation($input: TransferFundsInput!) {
  transferFunds(input: $input) { id fromWalletId toWalletId amountMinor currency note }
}`;
const STATEMENT = `query($walletId: ID!, $first: Int, $after: String) {
  walletStatement(walletId: $walletId, first: $first, after: $after) {
    edges { cursor node { id kind reference amountMinor balanceAfterMinor counterparty } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const HOLDS = `query($walletId: ID!, $status: WalletHoldStatus) {
  walletHolds(walletId: $walletId, status: $status) {
    edges { node { id status amountMinor capturedAmountMinor reference } }
  }
}`;
const RELEASE_HOLD = `mutation($holdId: ID!) { releaseWalletHold(holdId: $holdId) { id status } }`;
const FREEZE = `mutation($input: WalletStatusInput!) { freezeWallet(input: $input) { id status } }`;
const UNFREEZE = `mutation($input: WalletStatusInput!) { unfreezeWallet(input: $input) { id status } }`;
const LIMITS = `mutation($input: SetWalletLimitsInput!) {
  setWalletLimits(input: $input) { id dailyTransferLimitMinor maxTransferMinor }
}`;
const PROPOSE = `mutation($input: ProposeWalletAdjustmentInput!) {
  proposeWalletAdjustment(input: $input) { id status amountMinor proposedBy }
}`;
const APPROVE = `mutation($id: ID!) { approveWalletAdjustment(id: $id) { id status decidedBy } }`;
const REJECT = `mutation($input: RejectWalletAdjustmentInput!) {
  rejectWalletAdjustment(input: $input) { id status decisionNote }
}`;
const ADJUSTMENTS = `query($status: WalletAdjustmentStatus, $walletId: ID) {
  walletAdjustments(status: $status, walletId: $walletId) { edges { node { id status amountMinor } } }
}`;

interface WalletNode {
  id: string;
  userId: string;
  currency: string;
  status: string;
  balanceMinor: number;
  heldMinor: number;
  availableMinor: number;
  dailyTransferLimitMinor: number;
  maxTransferMinor: number;
}
interface TransferNode {
  id: string;
  fromWalletId: string;
  toWalletId: string;
  amountMinor: number;
}
interface StatementNode {
  id: string;
  kind: string;
  reference: string;
  amountMinor: number;
  balanceAfterMinor: number;
  counterparty: string;
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error('condition not met in time');
}

describe('Wallets (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let secondAdmin: TestUser;
  let support: TestUser;
  let holds: WalletHoldsService;
  const adminActor = (): AuditActor => ({ type: 'user', id: admin.id, role: 'ADMIN' });

  const error = async (
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ): Promise<{ code?: string; reason?: string }> => {
    const result = await t.gql.request(query, variables, token);
    expect(result.errors?.length).toBeGreaterThan(0);
    return {
      code: result.errors?.[0]?.extensions?.code,
      reason: result.errors?.[0]?.extensions?.reason,
    };
  };

  const openWallet = async (user: TestUser, currency = 'USD'): Promise<WalletNode> =>
    (await t.gql.ok<{ openWallet: WalletNode }>(OPEN, { input: { currency } }, user.accessToken))
      .openWallet;

  const walletOf = async (id: string, token = admin.accessToken): Promise<WalletNode> =>
    (await t.gql.ok<{ wallet: WalletNode }>(WALLET, { id }, token)).wallet;

  /** Funds a wallet the only way money enters one here: an adjustment approved by a second admin. */
  const fund = (walletId: string, amountMinor: number): Promise<void> =>
    fundWallet(t, walletId, amountMinor, admin, secondAdmin);

  const transfer = (
    user: TestUser,
    input: Record<string, unknown>,
  ): ReturnType<TestApp['gql']['request']> =>
    t.gql.request<{ transferFunds: TransferNode }>(
      TRANSFER,
      { input: { currency: 'USD', idempotencyKey: randomUUID(), ...input } },
      user.accessToken,
    );

  /** A customer with a funded USD wallet. */
  const fundedCustomer = async (
    amountMinor = 10_000,
    name?: string,
  ): Promise<{ user: TestUser; wallet: WalletNode }> => {
    const user = await createUser(t, { name });
    const wallet = await openWallet(user);
    if (amountMinor > 0) await fund(wallet.id, amountMinor);
    return { user, wallet };
  };

  beforeAll(async () => {
    t = await createTestApp({ WALLET_HOLD_SWEEP_MS: '300' });
    admin = await createUser(t, { role: Role.ADMIN });
    secondAdmin = await createUser(t, { role: Role.ADMIN });
    support = await createUser(t, { role: Role.SUPPORT });
    holds = t.app.get(WalletHoldsService);
  });

  afterAll(async () => {
    // Every journal posted by this file must still check out.
    const report = await t?.app.get(LedgerService).verify();
    await t?.close();
    expect(report?.ok).toBe(true);
  });

  it('describes every wallet type, field, argument and enum value', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    expect(undescribed(schema, (name: string) => /wallet/i.test(name))).toEqual([]);
  });

  it('opens a wallet once per currency and lists only the caller’s wallets', async () => {
    const user = await createUser(t);
    const first = await openWallet(user);
    const again = await openWallet(user);
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({
      userId: user.id,
      currency: 'USD',
      status: 'ACTIVE',
      balanceMinor: 0,
      heldMinor: 0,
      availableMinor: 0,
    });
    const eur = await openWallet(user, 'EUR');
    expect(eur.id).not.toBe(first.id);
    const listed = await t.gql.ok<{ wallets: { edges: { node: WalletNode }[] } }>(
      WALLETS,
      {},
      user.accessToken,
    );
    expect(listed.wallets.edges.map((edge) => edge.node.id).sort()).toEqual(
      [first.id, eur.id].sort(),
    );
    expect(await error(OPEN, { input: { currency: 'usd' } }, user.accessToken)).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });

  it('sends money by email, opening the recipient’s wallet on demand', async () => {
    const { user: alice, wallet } = await fundedCustomer(10_000);
    const bob = await createUser(t);
    const result = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email.toUpperCase(),
      amountMinor: 2_500,
      note: 'dinner',
    });
    expect(result.errors).toBeUndefined();
    const sent = (result.data as { transferFunds: TransferNode }).transferFunds;
    expect(sent).toMatchObject({ fromWalletId: wallet.id, amountMinor: 2_500 });
    expect((await walletOf(wallet.id)).balanceMinor).toBe(7_500);
    const bobWallets = await t.gql.ok<{ wallets: { edges: { node: WalletNode }[] } }>(
      WALLETS,
      {},
      bob.accessToken,
    );
    expect(bobWallets.wallets.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ id: sent.toWalletId, currency: 'USD', balanceMinor: 2_500 }),
    ]);
  });

  it('sends money by phone number', async () => {
    const { user: alice, wallet } = await fundedCustomer(5_000);
    const bob = await createUser(t);
    const phone = `2547${String(Date.now()).slice(-8)}`;
    await t.app.get(DataSource).query('UPDATE users SET phone = ? WHERE id = ?', [phone, bob.id]);
    const result = await transfer(alice, {
      fromWalletId: wallet.id,
      toPhone: `+${phone}`,
      amountMinor: 1_000,
    });
    expect(result.errors).toBeUndefined();
    const sent = (result.data as { transferFunds: TransferNode }).transferFunds;
    expect((await walletOf(sent.toWalletId)).userId).toBe(bob.id);
    expect((await walletOf(wallet.id)).balanceMinor).toBe(4_000);

    expect(
      await error(
        TRANSFER,
        {
          input: {
            fromWalletId: wallet.id,
            toPhone: '19999999999',
            amountMinor: 1,
            currency: 'USD',
            idempotencyKey: randomUUID(),
          },
        },
        alice.accessToken,
      ),
    ).toEqual({ code: 'NOT_FOUND', reason: 'WALLET_RECIPIENT_NOT_FOUND' });
  });

  it('refuses transfers above the available balance, to oneself, or in another currency', async () => {
    const { user: alice, wallet } = await fundedCustomer(1_000);
    const bob = await createUser(t);
    const tooMuch = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      amountMinor: 1_001,
    });
    expect(tooMuch.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'WALLET_INSUFFICIENT_FUNDS',
    });
    const self = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: alice.email,
      amountMinor: 1,
    });
    expect(self.errors?.[0]?.extensions?.reason).toBe('WALLET_SELF_TRANSFER');
    const currency = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      amountMinor: 1,
      currency: 'EUR',
    });
    expect(currency.errors?.[0]?.extensions?.reason).toBe('WALLET_CURRENCY_MISMATCH');
    const both = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      toPhone: '254700000000',
      amountMinor: 1,
    });
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await walletOf(wallet.id)).balanceMinor).toBe(1_000);
  });

  it('enforces the per-transfer and daily limits', async () => {
    const { user: alice, wallet } = await fundedCustomer(10_000);
    const bob = await createUser(t);
    await t.gql.ok(
      LIMITS,
      { input: { walletId: wallet.id, maxTransferMinor: 1_000, dailyTransferLimitMinor: 1_500 } },
      admin.accessToken,
    );
    const tooBig = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      amountMinor: 1_001,
    });
    expect(tooBig.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'WALLET_LIMIT_EXCEEDED',
      details: expect.objectContaining({ limit: 'MAX_TRANSFER' }),
    });
    const ok = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      amountMinor: 800,
    });
    expect(ok.errors).toBeUndefined();
    const overDaily = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      amountMinor: 800,
    });
    expect(overDaily.errors?.[0]?.extensions).toMatchObject({
      reason: 'WALLET_LIMIT_EXCEEDED',
      details: expect.objectContaining({ limit: 'DAILY_TOTAL', sentTodayMinor: 800 }),
    });
    const exact = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      amountMinor: 700,
    });
    expect(exact.errors).toBeUndefined();
    expect((await walletOf(wallet.id)).balanceMinor).toBe(8_500);
  });

  it('refuses money in and out of a frozen wallet until it is unfrozen', async () => {
    const { user: alice, wallet } = await fundedCustomer(5_000);
    const { user: bob, wallet: bobWallet } = await fundedCustomer(5_000);
    expect(
      await error(FREEZE, { input: { walletId: wallet.id } }, support.accessToken),
    ).toMatchObject({ code: 'FORBIDDEN' });
    await t.gql.ok(
      FREEZE,
      { input: { walletId: wallet.id, reason: 'fraud check' } },
      admin.accessToken,
    );
    const out = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      amountMinor: 10,
    });
    expect(out.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'WALLET_FROZEN',
    });
    const into = await transfer(bob, {
      fromWalletId: bobWallet.id,
      toEmail: alice.email,
      amountMinor: 10,
    });
    expect(into.errors?.[0]?.extensions?.reason).toBe('WALLET_FROZEN');
    expect(
      await error(FREEZE, { input: { walletId: wallet.id } }, admin.accessToken),
    ).toMatchObject({ reason: 'WALLET_INVALID_STATUS_CHANGE' });
    await t.gql.ok(UNFREEZE, { input: { walletId: wallet.id } }, admin.accessToken);
    const after = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      amountMinor: 10,
    });
    expect(after.errors).toBeUndefined();
  });

  it('replays a transfer retried with the same key and refuses the key for other input', async () => {
    const { user: alice, wallet } = await fundedCustomer(5_000);
    const bob = await createUser(t);
    const input = {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      amountMinor: 1_200,
      currency: 'USD',
      idempotencyKey: `transfer-${randomUUID()}`,
    };
    const first = await t.gql.ok<{ transferFunds: TransferNode }>(
      TRANSFER,
      { input },
      alice.accessToken,
    );
    const replay = await t.gql.ok<{ transferFunds: TransferNode }>(
      TRANSFER,
      { input },
      alice.accessToken,
    );
    expect(replay.transferFunds.id).toBe(first.transferFunds.id);
    expect((await walletOf(wallet.id)).balanceMinor).toBe(3_800);
    expect(
      await error(TRANSFER, { input: { ...input, amountMinor: 1_300 } }, alice.accessToken),
    ).toEqual({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_MISMATCH' });
    expect((await walletOf(wallet.id)).balanceMinor).toBe(3_800);
    // A key is required: the schema says so.
    const { idempotencyKey: _omitted, ...withoutKey } = input;
    const missing = await t.gql.request(TRANSFER, { input: withoutKey }, alice.accessToken);
    expect(missing.errors?.length).toBeGreaterThan(0);
  });

  it('holds reserve money; a partial capture pays out and releases the rest; release frees it', async () => {
    const { user: alice, wallet } = await fundedCustomer(10_000);
    const bob = await createUser(t);
    const merchant = await createUser(t, { role: Role.MERCHANT });
    const hold = await holds.placeHold(
      {
        walletId: wallet.id,
        amountMinor: 3_000,
        expiresAt: new Date(Date.now() + 60_000),
        reference: `card-auth-${randomUUID()}`,
        reason: 'card authorisation',
      },
      adminActor(),
    );
    expect(await walletOf(wallet.id, alice.accessToken)).toMatchObject({
      balanceMinor: 10_000,
      heldMinor: 3_000,
      availableMinor: 7_000,
    });
    // The same reference again is the same hold (a retry), not a second reservation.
    const again = await holds.placeHold(
      {
        walletId: wallet.id,
        amountMinor: 3_000,
        expiresAt: hold.expiresAt,
        reference: hold.reference,
      },
      adminActor(),
    );
    expect(again.id).toBe(hold.id);
    await expect(
      holds.placeHold(
        {
          walletId: wallet.id,
          amountMinor: 7_001,
          expiresAt: new Date(Date.now() + 60_000),
          reference: 'too-much',
        },
        adminActor(),
      ),
    ).rejects.toMatchObject({ code: 'WALLET_INSUFFICIENT_FUNDS' });
    const blocked = await transfer(alice, {
      fromWalletId: wallet.id,
      toEmail: bob.email,
      amountMinor: 7_001,
    });
    expect(blocked.errors?.[0]?.extensions?.reason).toBe('WALLET_INSUFFICIENT_FUNDS');

    const merchantAccount = {
      kind: 'merchant_balance' as const,
      ownerId: merchant.merchantId!,
      currency: 'USD',
    };
    await expect(
      holds.captureHold(hold.id, 3_001, merchantAccount, adminActor()),
    ).rejects.toMatchObject({ code: 'WALLET_HOLD_AMOUNT_EXCEEDED' });
    const captured = await holds.captureHold(hold.id, 1_000, merchantAccount, adminActor());
    expect(captured).toMatchObject({ status: 'CAPTURED', capturedAmountMinor: 1_000 });
    expect(await walletOf(wallet.id)).toMatchObject({
      balanceMinor: 9_000,
      heldMinor: 0,
      availableMinor: 9_000,
    });
    expect(await t.app.get(LedgerService).balanceOf(merchantAccount)).toBe(1_000);
    await expect(
      holds.captureHold(hold.id, 1, merchantAccount, adminActor()),
    ).rejects.toMatchObject({ code: 'WALLET_HOLD_NOT_ACTIVE' });

    const second = await holds.placeHold(
      {
        walletId: wallet.id,
        amountMinor: 4_000,
        expiresAt: new Date(Date.now() + 60_000),
        reference: `payout-${randomUUID()}`,
      },
      adminActor(),
    );
    expect((await walletOf(wallet.id)).availableMinor).toBe(5_000);
    const listed = await t.gql.ok<{
      walletHolds: { edges: { node: { id: string; status: string } }[] };
    }>(HOLDS, { walletId: wallet.id, status: 'ACTIVE' }, alice.accessToken);
    expect(listed.walletHolds.edges.map((edge) => edge.node.id)).toEqual([second.id]);
    expect(await error(RELEASE_HOLD, { holdId: second.id }, alice.accessToken)).toMatchObject({
      code: 'FORBIDDEN',
    });
    const released = await t.gql.ok<{ releaseWalletHold: { status: string } }>(
      RELEASE_HOLD,
      { holdId: second.id },
      admin.accessToken,
    );
    expect(released.releaseWalletHold.status).toBe('RELEASED');
    expect((await walletOf(wallet.id)).availableMinor).toBe(9_000);
    expect(await error(RELEASE_HOLD, { holdId: second.id }, admin.accessToken)).toMatchObject({
      reason: 'WALLET_HOLD_NOT_ACTIVE',
    });
  });

  it('the sweep job expires holds past their expiry', async () => {
    const { user: alice, wallet } = await fundedCustomer(2_000);
    const hold = await holds.placeHold(
      {
        walletId: wallet.id,
        amountMinor: 1_500,
        expiresAt: new Date(Date.now() + 60 * 60_000),
        reference: `expiring-${randomUUID()}`,
      },
      adminActor(),
    );
    expect((await walletOf(wallet.id)).availableMinor).toBe(500);
    await t.app
      .get(DataSource)
      .query('UPDATE wallet_holds SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [
        hold.id,
      ]);
    await until(async () => {
      const page = await t.gql.ok<{ walletHolds: { edges: { node: { status: string } }[] } }>(
        HOLDS,
        { walletId: wallet.id },
        alice.accessToken,
      );
      return page.walletHolds.edges[0]?.node.status === 'EXPIRED';
    });
    expect((await walletOf(wallet.id)).availableMinor).toBe(2_000);
    await expect(
      holds.captureHold(
        hold.id,
        1,
        { kind: 'fees', ownerId: 'platform', currency: 'USD' },
        adminActor(),
      ),
    ).rejects.toMatchObject({ code: 'WALLET_HOLD_NOT_ACTIVE' });
  });

  it('posts an adjustment only after a different admin approves it', async () => {
    const user = await createUser(t);
    const wallet = await openWallet(user);
    const { proposeWalletAdjustment: proposal } = await t.gql.ok<{
      proposeWalletAdjustment: { id: string; status: string };
    }>(
      PROPOSE,
      { input: { walletId: wallet.id, amountMinor: 4_200, reason: 'goodwill' } },
      admin.accessToken,
    );
    expect(proposal.status).toBe('PROPOSED');
    expect((await walletOf(wallet.id)).balanceMinor).toBe(0);
    expect(await error(APPROVE, { id: proposal.id }, admin.accessToken)).toEqual({
      code: 'FORBIDDEN',
      reason: 'WALLET_ADJUSTMENT_SAME_APPROVER',
    });
    expect(
      await error(
        PROPOSE,
        { input: { walletId: wallet.id, amountMinor: 1, reason: 'me' } },
        user.accessToken,
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    const pending = await t.gql.ok<{ walletAdjustments: { edges: { node: { id: string } }[] } }>(
      ADJUSTMENTS,
      { status: 'PROPOSED', walletId: wallet.id },
      support.accessToken,
    );
    expect(pending.walletAdjustments.edges.map((edge) => edge.node.id)).toEqual([proposal.id]);
    const approved = await t.gql.ok<{
      approveWalletAdjustment: { status: string; decidedBy: string };
    }>(APPROVE, { id: proposal.id }, secondAdmin.accessToken);
    expect(approved.approveWalletAdjustment).toMatchObject({
      status: 'APPROVED',
      decidedBy: secondAdmin.id,
    });
    expect((await walletOf(wallet.id)).balanceMinor).toBe(4_200);
    expect(await error(APPROVE, { id: proposal.id }, secondAdmin.accessToken)).toMatchObject({
      code: 'CONFLICT',
      reason: 'WALLET_ADJUSTMENT_NOT_PENDING',
    });

    // A debit larger than the wallet is refused at approval; a rejected one never posts.
    const { proposeWalletAdjustment: debit } = await t.gql.ok<{
      proposeWalletAdjustment: { id: string };
    }>(
      PROPOSE,
      { input: { walletId: wallet.id, amountMinor: -5_000, reason: 'reversal' } },
      admin.accessToken,
    );
    expect(await error(APPROVE, { id: debit.id }, secondAdmin.accessToken)).toMatchObject({
      reason: 'WALLET_INSUFFICIENT_FUNDS',
    });
    const rejected = await t.gql.ok<{
      rejectWalletAdjustment: { status: string; decisionNote: string };
    }>(
      REJECT,
      { input: { adjustmentId: debit.id, note: 'wrong amount' } },
      secondAdmin.accessToken,
    );
    expect(rejected.rejectWalletAdjustment).toMatchObject({
      status: 'REJECTED',
      decisionNote: 'wrong amount',
    });
    expect((await walletOf(wallet.id)).balanceMinor).toBe(4_200);
  });

  it('pages the statement newest first with running balances and counterparties', async () => {
    const { user: alice, wallet } = await fundedCustomer(10_000);
    const bob = await createUser(t, { name: 'Bob Statement' });
    for (const amountMinor of [100, 200, 300, 400]) {
      const result = await transfer(alice, {
        fromWalletId: wallet.id,
        toEmail: bob.email,
        amountMinor,
      });
      expect(result.errors).toBeUndefined();
    }
    const lines: StatementNode[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: {
        walletStatement: {
          edges: { node: StatementNode }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      } = await t.gql.ok(STATEMENT, { walletId: wallet.id, first: 2, after }, alice.accessToken);
      lines.push(...page.walletStatement.edges.map((edge) => edge.node));
      after = page.walletStatement.pageInfo.hasNextPage
        ? page.walletStatement.pageInfo.endCursor
        : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(lines.map((line) => line.amountMinor)).toEqual([-400, -300, -200, -100, 10_000]);
    expect(lines.map((line) => line.kind)).toEqual([
      'wallet.transfer',
      'wallet.transfer',
      'wallet.transfer',
      'wallet.transfer',
      'wallet.adjustment',
    ]);
    expect(lines.map((line) => line.balanceAfterMinor)).toEqual([
      9_000, 9_400, 9_700, 9_900, 10_000,
    ]);
    expect(lines[0].counterparty).toBe('Wallet of Bob Statement');
    expect(lines[4].counterparty).toBe('Payrail adjustment');
    expect(new Set(lines.map((line) => line.id)).size).toBe(5);
  });

  it('hides one customer’s wallet from another and lets staff read but not move it', async () => {
    const { user: alice, wallet } = await fundedCustomer(1_000);
    const mallory = await createUser(t);
    await openWallet(mallory);
    expect(await error(WALLET, { id: wallet.id }, mallory.accessToken)).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'WALLET_NOT_FOUND',
    });
    expect(await error(STATEMENT, { walletId: wallet.id }, mallory.accessToken)).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await error(HOLDS, { walletId: wallet.id }, mallory.accessToken)).toMatchObject({
      code: 'NOT_FOUND',
    });
    const stolen = await transfer(mallory, {
      fromWalletId: wallet.id,
      toEmail: mallory.email,
      amountMinor: 1,
    });
    expect(stolen.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'WALLET_NOT_FOUND',
    });
    // Another user's id is ignored for customers: they still see only their own wallets.
    const own = await t.gql.ok<{ wallets: { edges: { node: WalletNode }[] } }>(
      WALLETS,
      { userId: alice.id },
      mallory.accessToken,
    );
    expect(own.wallets.edges.every((edge) => edge.node.userId === mallory.id)).toBe(true);

    expect((await walletOf(wallet.id, support.accessToken)).balanceMinor).toBe(1_000);
    const staffList = await t.gql.ok<{ wallets: { edges: { node: WalletNode }[] } }>(
      WALLETS,
      { userId: alice.id },
      support.accessToken,
    );
    expect(staffList.wallets.edges.map((edge) => edge.node.id)).toEqual([wallet.id]);
    const staffMove = await t.gql.request(
      TRANSFER,
      {
        input: {
          fromWalletId: wallet.id,
          toEmail: support.email,
          amountMinor: 1,
          currency: 'USD',
          idempotencyKey: randomUUID(),
        },
      },
      admin.accessToken,
    );
    expect(staffMove.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await t.gql.errorCode(WALLET, { id: wallet.id })).toBe('UNAUTHENTICATED');
    expect((await walletOf(wallet.id, alice.accessToken)).balanceMinor).toBe(1_000);
  });
});
