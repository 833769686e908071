import { randomUUID } from 'node:crypto';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../../src/modules/audit/audit.types';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import type { AccountRef } from '../../src/modules/ledger/ledger.types';
import { Role } from '../../src/modules/users/role';
import { fxAccount } from '../../src/modules/wallets/wallet-accounts';
import { WalletHoldsService } from '../../src/modules/wallets/wallet-holds.service';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';
import { undescribed } from '../utils/schema-descriptions';
import { fundWallet } from '../factories/wallets.factory';

const WALLET_FIELDS = `id userId currency status balanceMinor heldMinor availableMinor`;
const OPEN = `mutation($input: OpenWalletInput!) { openWallet(input: $input) { ${WALLET_FIELDS} } }`;
const WALLET = `query($id: ID!) { wallet(id: $id) { ${WALLET_FIELDS} } }`;
const FREEZE = `mutation($input: WalletStatusInput!) { freezeWallet(input: $input) { id status } }`;
const UNFREEZE = `mutation($input: WalletStatusInput!) { unfreezeWallet(input: $input) { id status } }`;
const STATEMENT = `query($walletId: ID!) {
  walletStatement(walletId: $walletId) {
    edges { node { kind reference amountMinor balanceAfterMinor counterparty description } }
  }
}`;
const RATE_FIELDS = `id baseCurrency quoteCurrency rate feeBps setBy createdAt updatedAt staleAt`;
const SET_RATE = `mutation($input: SetFxRateInput!) { setFxRate(input: $input) { ${RATE_FIELDS} } }`;
const RATES = `query($baseCurrency: String, $quoteCurrency: String) {
  fxRates(baseCurrency: $baseCurrency, quoteCurrency: $quoteCurrency) {
    edges { node { ${RATE_FIELDS} } }
  }
}`;
const QUOTE = `query($fromCurrency: String!, $toCurrency: String!, $amountMinor: SafeInt!) {
  fxQuote(fromCurrency: $fromCurrency, toCurrency: $toCurrency, amountMinor: $amountMinor) {
    fromCurrency toCurrency fromAmountMinor rate feeBps grossToMinor feeMinor netToMinor
    rateUpdatedAt rateStaleAt
  }
}`;
const CONVERSION_FIELDS = `id userId fromWalletId toWalletId fromCurrency toCurrency fromAmountMinor
  grossToMinor feeMinor netToMinor rate feeBps createdAt`;
const CONVERT = `mutation($input: ConvertFundsInput!) {
  convertFunds(input: $input) { ${CONVERSION_FIELDS} }
}`;
const CONVERSIONS = `query($walletId: ID!, $first: Int, $after: String) {
  walletConversions(walletId: $walletId, first: $first, after: $after) {
    edges { cursor node { ${CONVERSION_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const AUDIT = `query($objectType: String, $objectId: String) {
  auditLog(objectType: $objectType, objectId: $objectId) {
    edges { node { action actorId objectId details } }
  }
}`;

interface WalletNode {
  id: string;
  userId: string;
  currency: string;
  status: string;
  balanceMinor: number;
  heldMinor: number;
  availableMinor: number;
}
interface RateNode {
  id: string;
  baseCurrency: string;
  quoteCurrency: string;
  rate: string;
  feeBps: number;
  setBy: string | null;
  createdAt: string;
  updatedAt: string;
  staleAt: string;
}
interface QuoteNode {
  fromCurrency: string;
  toCurrency: string;
  fromAmountMinor: number;
  rate: string;
  feeBps: number;
  grossToMinor: number;
  feeMinor: number;
  netToMinor: number;
  rateUpdatedAt: string;
  rateStaleAt: string;
}
interface ConversionNode {
  id: string;
  userId: string;
  fromWalletId: string;
  toWalletId: string;
  fromCurrency: string;
  toCurrency: string;
  fromAmountMinor: number;
  grossToMinor: number;
  feeMinor: number;
  netToMinor: number;
  rate: string;
  feeBps: number;
}
interface StatementNode {
  kind: string;
  reference: string;
  amountMinor: number;
  balanceAfterMinor: number;
  counterparty: string;
  description: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const fees = (currency: string): AccountRef => ({ kind: 'fees', ownerId: 'platform', currency });

describe('Wallet currency conversion (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let secondAdmin: TestUser;
  let support: TestUser;
  let ledger: LedgerService;

  const failure = async (
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ): Promise<{ code?: string; reason?: string; details?: Record<string, unknown> }> => {
    const result = await t.gql.request(query, variables, token);
    expect(result.errors?.length).toBeGreaterThan(0);
    const extensions = result.errors?.[0]?.extensions;
    return { code: extensions?.code, reason: extensions?.reason, details: extensions?.details };
  };

  const openWallet = async (user: TestUser, currency: string): Promise<WalletNode> =>
    (await t.gql.ok<{ openWallet: WalletNode }>(OPEN, { input: { currency } }, user.accessToken))
      .openWallet;

  const walletOf = async (id: string): Promise<WalletNode> =>
    (await t.gql.ok<{ wallet: WalletNode }>(WALLET, { id }, admin.accessToken)).wallet;

  /** Money enters a wallet here only by a two-admin adjustment. */
  const fund = (walletId: string, amountMinor: number): Promise<void> =>
    fundWallet(t, walletId, amountMinor, admin, secondAdmin);

  /** A user with a funded wallet in `from` and an empty one in `to`. */
  const customerWith = async (
    from: string,
    to: string,
    fundedMinor: number,
    role: Role = Role.CUSTOMER,
  ): Promise<{ user: TestUser; source: WalletNode; target: WalletNode }> => {
    const user = await createUser(t, { role });
    const source = await openWallet(user, from);
    const target = await openWallet(user, to);
    if (fundedMinor > 0) await fund(source.id, fundedMinor);
    return { user, source, target };
  };

  const setRate = async (
    baseCurrency: string,
    quoteCurrency: string,
    rate: string,
    feeBps: number,
  ): Promise<RateNode> =>
    (
      await t.gql.ok<{ setFxRate: RateNode }>(
        SET_RATE,
        { input: { baseCurrency, quoteCurrency, rate, feeBps } },
        admin.accessToken,
      )
    ).setFxRate;

  const quote = async (
    user: TestUser,
    fromCurrency: string,
    toCurrency: string,
    amountMinor: number,
  ): Promise<QuoteNode> =>
    (
      await t.gql.ok<{ fxQuote: QuoteNode }>(
        QUOTE,
        { fromCurrency, toCurrency, amountMinor },
        user.accessToken,
      )
    ).fxQuote;

  const convertInput = (
    source: WalletNode,
    target: WalletNode,
    amountMinor: number,
    extra: Record<string, unknown> = {},
  ) => ({
    input: {
      fromWalletId: source.id,
      toWalletId: target.id,
      amountMinor,
      idempotencyKey: randomUUID(),
      ...extra,
    },
  });

  const convert = async (
    user: TestUser,
    variables: ReturnType<typeof convertInput>,
  ): Promise<ConversionNode> =>
    (await t.gql.ok<{ convertFunds: ConversionNode }>(CONVERT, variables, user.accessToken))
      .convertFunds;

  const platformBalances = async (from: string, to: string) => ({
    fxFrom: await ledger.balanceOf(fxAccount(from)),
    fxTo: await ledger.balanceOf(fxAccount(to)),
    feesTo: await ledger.balanceOf(fees(to)),
  });

  const journalsFor = async (reference: string): Promise<number> => {
    const [row] = (await t.app
      .get(DataSource)
      .query(
        `SELECT COUNT(*) AS n FROM journal_entries WHERE kind = 'wallet.fx' AND reference = ?`,
        [reference],
      )) as { n: string }[];
    return Number(row.n);
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, { role: Role.ADMIN });
    secondAdmin = await createUser(t, { role: Role.ADMIN });
    support = await createUser(t, { role: Role.SUPPORT });
    ledger = t.app.get(LedgerService);
    await setRate('USD', 'KES', '129.5', 150);
  });

  afterAll(async () => {
    // Every journal this file posted must still check out.
    const report = await t?.app.get(LedgerService).verify();
    await t?.close();
    expect(report?.ok).toBe(true);
  });

  it('describes every FX type, field, argument and enum value', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    expect(undescribed(schema, (name: string) => /fx|conversion|convert/i.test(name))).toEqual([]);
    const mutations = Object.keys(schema.getMutationType()!.getFields());
    const queries = Object.keys(schema.getQueryType()!.getFields());
    expect(mutations).toEqual(expect.arrayContaining(['setFxRate', 'convertFunds']));
    expect(queries).toEqual(expect.arrayContaining(['fxRates', 'fxQuote', 'walletConversions']));
  });

  it('lets only admins set rates, validates them, and keeps the history in the audit log', async () => {
    const customer = await createUser(t);
    const input = { baseCurrency: 'USD', quoteCurrency: 'EUR', rate: '0.92', feeBps: 10 };
    expect(await failure(SET_RATE, { input }, customer.accessToken)).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await failure(SET_RATE, { input }, support.accessToken)).toMatchObject({
      code: 'FORBIDDEN',
    });
    for (const rate of ['0', '-1', '1e5', '1.1234567890123', 'abc']) {
      expect(
        await failure(SET_RATE, { input: { ...input, rate } }, admin.accessToken),
      ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'WALLET_INVALID_INPUT' });
    }
    expect(
      await failure(SET_RATE, { input: { ...input, feeBps: 2001 } }, admin.accessToken),
    ).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(
      await failure(SET_RATE, { input: { ...input, quoteCurrency: 'USD' } }, admin.accessToken),
    ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'WALLET_FX_SAME_CURRENCY' });

    const first = await setRate('USD', 'EUR', '0.920', 10);
    expect(first).toMatchObject({
      baseCurrency: 'USD',
      quoteCurrency: 'EUR',
      rate: '0.92',
      feeBps: 10,
      setBy: admin.id,
    });
    expect(Date.parse(first.staleAt) - Date.parse(first.updatedAt)).toBe(DAY_MS);
    const second = await setRate('USD', 'EUR', '0.9150', 25);
    expect(second).toMatchObject({ id: first.id, rate: '0.915', feeBps: 25 });

    // Anyone signed in reads rates; who set them is for staff.
    const listed = await t.gql.ok<{ fxRates: { edges: { node: RateNode }[] } }>(
      RATES,
      { baseCurrency: 'USD', quoteCurrency: 'EUR' },
      customer.accessToken,
    );
    expect(listed.fxRates.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ id: first.id, rate: '0.915', feeBps: 25, setBy: null }),
    ]);
    expect(await t.gql.errorCode(RATES, {})).toBe('UNAUTHENTICATED');

    const audit = await t.gql.ok<{
      auditLog: { edges: { node: { action: string; actorId: string; details: string } }[] };
    }>(AUDIT, { objectType: 'fx_rate', objectId: 'USD/EUR' }, admin.accessToken);
    const history = audit.auditLog.edges.map((edge) => ({
      action: edge.node.action,
      actorId: edge.node.actorId,
      details: JSON.parse(edge.node.details) as Record<string, unknown>,
    }));
    expect(history).toEqual([
      {
        action: 'fx_rate.set',
        actorId: admin.id,
        details: expect.objectContaining({
          before: expect.objectContaining({ rate: '0.92', feeBps: 10, setBy: admin.id }),
          after: { rate: '0.915', feeBps: 25 },
        }),
      },
      {
        action: 'fx_rate.set',
        actorId: admin.id,
        details: expect.objectContaining({ before: null, after: { rate: '0.92', feeBps: 10 } }),
      },
    ]);
  });

  it('quotes, converts USD to KES at the quoted rate and books every side exactly', async () => {
    const { user, source, target } = await customerWith('USD', 'KES', 25_000);
    const before = await platformBalances('USD', 'KES');

    const offered = await quote(user, 'USD', 'KES', 10_000);
    // 100.00 USD × 129.5 = 12 950.00 KES; fee 1.5% = 194.25 KES; net 12 755.75 KES.
    expect(offered).toMatchObject({
      fromCurrency: 'USD',
      toCurrency: 'KES',
      fromAmountMinor: 10_000,
      rate: '129.5',
      feeBps: 150,
      grossToMinor: 1_295_000,
      feeMinor: 19_425,
      netToMinor: 1_275_575,
    });
    expect(Date.parse(offered.rateStaleAt) - Date.parse(offered.rateUpdatedAt)).toBe(DAY_MS);
    // A quote moves nothing.
    expect((await walletOf(source.id)).balanceMinor).toBe(25_000);

    const conversion = await convert(
      user,
      convertInput(source, target, 10_000, { expectedRate: offered.rate }),
    );
    expect(conversion).toMatchObject({
      userId: user.id,
      fromWalletId: source.id,
      toWalletId: target.id,
      fromCurrency: 'USD',
      toCurrency: 'KES',
      fromAmountMinor: 10_000,
      grossToMinor: 1_295_000,
      feeMinor: 19_425,
      netToMinor: 1_275_575,
      rate: '129.5',
      feeBps: 150,
    });

    expect(await walletOf(source.id)).toMatchObject({
      balanceMinor: 15_000,
      availableMinor: 15_000,
    });
    expect(await walletOf(target.id)).toMatchObject({ balanceMinor: 1_275_575 });
    const after = await platformBalances('USD', 'KES');
    // fx is shown debit-positive: the platform's USD position was credited, its KES debited.
    expect(after.fxFrom - before.fxFrom).toBe(-10_000);
    expect(after.fxTo - before.fxTo).toBe(1_295_000);
    expect(after.feesTo - before.feesTo).toBe(19_425);
    expect(await journalsFor(conversion.id)).toBe(1);

    // Both statements show the conversion, with the exchange on the other side.
    for (const [walletId, amountMinor, balanceAfterMinor] of [
      [source.id, -10_000, 15_000],
      [target.id, 1_275_575, 1_275_575],
    ] as const) {
      const statement = await t.gql.ok<{
        walletStatement: { edges: { node: StatementNode }[] };
      }>(STATEMENT, { walletId }, user.accessToken);
      expect(statement.walletStatement.edges[0].node).toEqual({
        kind: 'wallet.fx',
        reference: conversion.id,
        amountMinor,
        balanceAfterMinor,
        counterparty: 'Payrail currency exchange',
        description: 'Currency conversion USD to KES',
      });
    }

    // The conversion is listed on both wallets, for the owner and for staff.
    for (const [walletId, token] of [
      [source.id, user.accessToken],
      [target.id, user.accessToken],
      [target.id, support.accessToken],
    ] as const) {
      const page = await t.gql.ok<{
        walletConversions: { edges: { node: ConversionNode }[] };
      }>(CONVERSIONS, { walletId }, token);
      expect(page.walletConversions.edges.map((edge) => edge.node.id)).toEqual([conversion.id]);
    }

    const audit = await t.gql.ok<{ auditLog: { edges: { node: { action: string } }[] } }>(
      AUDIT,
      { objectType: 'wallet_conversion', objectId: conversion.id },
      admin.accessToken,
    );
    expect(audit.auditLog.edges.map((edge) => edge.node.action)).toEqual(['wallet.fx.convert']);
  });

  it('replays a retried conversion and moves the money once', async () => {
    const { user, source, target } = await customerWith('USD', 'KES', 10_000);
    const variables = convertInput(source, target, 4_000);
    const first = await convert(user, variables);
    const again = await convert(user, variables);
    expect(again).toEqual(first);
    expect(await journalsFor(first.id)).toBe(1);
    expect((await walletOf(source.id)).balanceMinor).toBe(6_000);
    // 4 000 × 129.5 = 518 000; fee 7 770; net 510 230.
    expect((await walletOf(target.id)).balanceMinor).toBe(510_230);

    const other = { input: { ...variables.input, amountMinor: 4_001 } };
    expect(await failure(CONVERT, other, user.accessToken)).toMatchObject({
      code: 'CONFLICT',
      reason: 'IDEMPOTENCY_KEY_MISMATCH',
    });

    // Several copies at once still convert once.
    const racing = convertInput(source, target, 1_000);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => t.gql.request(CONVERT, racing, user.accessToken)),
    );
    const ok = results.filter((result) => !result.errors);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const result of results.filter((each) => each.errors)) {
      expect(result.errors?.[0]?.extensions?.reason).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
    }
    expect((await walletOf(source.id)).balanceMinor).toBe(5_000);
    const list = await t.gql.ok<{ walletConversions: { edges: { node: ConversionNode }[] } }>(
      CONVERSIONS,
      { walletId: source.id },
      user.accessToken,
    );
    expect(list.walletConversions.edges).toHaveLength(2);
  });

  it('refuses a conversion at a rate the user was not shown', async () => {
    const { user, source, target } = await customerWith('USD', 'KES', 10_000);
    const changed = await failure(
      CONVERT,
      convertInput(source, target, 1_000, { expectedRate: '129.4' }),
      user.accessToken,
    );
    expect(changed).toMatchObject({ code: 'CONFLICT', reason: 'WALLET_FX_RATE_CHANGED' });
    expect(changed.details).toMatchObject({ expectedRate: '129.4', currentRate: '129.5' });
    expect(
      await failure(
        CONVERT,
        convertInput(source, target, 1_000, { expectedRate: 'abc' }),
        user.accessToken,
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'WALLET_INVALID_INPUT' });
    expect((await walletOf(source.id)).balanceMinor).toBe(10_000);
    expect((await walletOf(target.id)).balanceMinor).toBe(0);

    // The same number written differently is the same rate.
    const conversion = await convert(
      user,
      convertInput(source, target, 1_000, { expectedRate: '129.500' }),
    );
    expect(conversion.rate).toBe('129.5');
  });

  it('refuses a conversion whose fee changed since the quote, even at the same rate', async () => {
    await setRate('EUR', 'KES', '140', 100);
    const { user, source, target } = await customerWith('EUR', 'KES', 10_000);
    const offered = await quote(user, 'EUR', 'KES', 10_000);
    expect(offered).toMatchObject({ rate: '140', feeBps: 100, netToMinor: 1_386_000 });
    // The admin raises only the fee: the rate the user saw still matches.
    await setRate('EUR', 'KES', '140', 2000);
    const changed = await failure(
      CONVERT,
      convertInput(source, target, 10_000, {
        expectedRate: offered.rate,
        expectedFeeBps: offered.feeBps,
      }),
      user.accessToken,
    );
    expect(changed).toMatchObject({ code: 'CONFLICT', reason: 'WALLET_FX_RATE_CHANGED' });
    expect(changed.details).toMatchObject({ expectedFeeBps: 100, currentFeeBps: 2000 });
    expect((await walletOf(source.id)).balanceMinor).toBe(10_000);
    expect((await walletOf(target.id)).balanceMinor).toBe(0);

    // Re-quoted and accepted at the new fee: 100.00 EUR × 140 = 14 000.00 KES, fee 20% = 2 800.00.
    const conversion = await convert(
      user,
      convertInput(source, target, 10_000, { expectedRate: '140', expectedFeeBps: 2000 }),
    );
    expect(conversion).toMatchObject({
      feeBps: 2000,
      grossToMinor: 1_400_000,
      netToMinor: 1_120_000,
    });
    expect((await walletOf(target.id)).balanceMinor).toBe(1_120_000);
  });

  it('refuses a stale rate until an admin sets it again', async () => {
    await setRate('USD', 'INR', '83.25', 0);
    const { user, source, target } = await customerWith('USD', 'INR', 10_000);
    await t.app
      .get(DataSource)
      .query(
        `UPDATE fx_rates SET updated_at = ? WHERE base_currency = 'USD' AND quote_currency = 'INR'`,
        [new Date(Date.now() - DAY_MS - 60_000)],
      );
    expect(
      await failure(
        QUOTE,
        { fromCurrency: 'USD', toCurrency: 'INR', amountMinor: 100 },
        user.accessToken,
      ),
    ).toMatchObject({ code: 'CONFLICT', reason: 'WALLET_FX_RATE_STALE' });
    expect(
      await failure(CONVERT, convertInput(source, target, 100), user.accessToken),
    ).toMatchObject({ code: 'CONFLICT', reason: 'WALLET_FX_RATE_STALE' });
    expect((await walletOf(source.id)).balanceMinor).toBe(10_000);

    // Confirming the very same rate makes it fresh again.
    await setRate('USD', 'INR', '83.25', 0);
    const conversion = await convert(user, convertInput(source, target, 100));
    // 1.00 USD × 83.25 = 83.25 INR, no fee.
    expect(conversion).toMatchObject({ grossToMinor: 8_325, feeMinor: 0, netToMinor: 8_325 });
    expect((await walletOf(target.id)).balanceMinor).toBe(8_325);
  });

  it('refuses a pair without a rate, and never inverts one', async () => {
    const { user, source, target } = await customerWith('KES', 'USD', 100_000);
    for (const [from, to] of [
      ['KES', 'USD'],
      ['GBP', 'KES'],
    ]) {
      expect(
        await failure(
          QUOTE,
          { fromCurrency: from, toCurrency: to, amountMinor: 100 },
          user.accessToken,
        ),
      ).toMatchObject({ code: 'NOT_FOUND', reason: 'WALLET_FX_RATE_NOT_FOUND' });
    }
    expect(
      await failure(CONVERT, convertInput(source, target, 100), user.accessToken),
    ).toMatchObject({ code: 'NOT_FOUND', reason: 'WALLET_FX_RATE_NOT_FOUND' });
    expect((await walletOf(source.id)).balanceMinor).toBe(100_000);
  });

  it('refuses to convert more than the available balance', async () => {
    const { user, source, target } = await customerWith('USD', 'KES', 1_000);
    expect(
      await failure(CONVERT, convertInput(source, target, 1_001), user.accessToken),
    ).toMatchObject({ code: 'CONFLICT', reason: 'WALLET_INSUFFICIENT_FUNDS' });

    // Held money is not available either.
    const actor: AuditActor = { type: 'system', id: 'fx-e2e' };
    await t.app.get(WalletHoldsService).placeHold(
      {
        walletId: source.id,
        amountMinor: 600,
        expiresAt: new Date(Date.now() + 60_000),
        reference: `fx-test:${randomUUID()}`,
      },
      actor,
    );
    expect(
      await failure(CONVERT, convertInput(source, target, 401), user.accessToken),
    ).toMatchObject({ code: 'CONFLICT', reason: 'WALLET_INSUFFICIENT_FUNDS' });
    await convert(user, convertInput(source, target, 400));
    expect(await walletOf(source.id)).toMatchObject({
      balanceMinor: 600,
      heldMinor: 600,
      availableMinor: 0,
    });
    expect((await walletOf(target.id)).balanceMinor).toBe(51_023); // 51 800 − 777
  });

  it('refuses a frozen source or target wallet', async () => {
    const { user, source, target } = await customerWith('USD', 'KES', 5_000);
    await t.gql.ok(FREEZE, { input: { walletId: target.id, reason: 'test' } }, admin.accessToken);
    expect(
      await failure(CONVERT, convertInput(source, target, 1_000), user.accessToken),
    ).toMatchObject({ code: 'CONFLICT', reason: 'WALLET_FROZEN' });
    await t.gql.ok(UNFREEZE, { input: { walletId: target.id } }, admin.accessToken);
    await t.gql.ok(FREEZE, { input: { walletId: source.id, reason: 'test' } }, admin.accessToken);
    expect(
      await failure(CONVERT, convertInput(source, target, 1_000), user.accessToken),
    ).toMatchObject({ code: 'CONFLICT', reason: 'WALLET_FROZEN' });
    expect((await walletOf(source.id)).balanceMinor).toBe(5_000);
    expect((await walletOf(target.id)).balanceMinor).toBe(0);
  });

  it('only converts between the caller’s own wallets, and only for wallet holders', async () => {
    const alice = await customerWith('USD', 'KES', 5_000);
    const bob = await customerWith('USD', 'KES', 5_000);
    // Bob's wallet on either side reads as missing to Alice.
    expect(
      await failure(CONVERT, convertInput(alice.source, bob.target, 100), alice.user.accessToken),
    ).toMatchObject({ code: 'NOT_FOUND', reason: 'WALLET_NOT_FOUND' });
    expect(
      await failure(CONVERT, convertInput(bob.source, alice.target, 100), alice.user.accessToken),
    ).toMatchObject({ code: 'NOT_FOUND', reason: 'WALLET_NOT_FOUND' });
    expect(
      await failure(CONVERSIONS, { walletId: bob.source.id }, alice.user.accessToken),
    ).toMatchObject({ code: 'NOT_FOUND', reason: 'WALLET_NOT_FOUND' });
    // Staff may look but not convert.
    expect(
      await failure(CONVERT, convertInput(bob.source, bob.target, 100), support.accessToken),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await failure(CONVERT, convertInput(bob.source, bob.target, 100), admin.accessToken),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect((await walletOf(bob.source.id)).balanceMinor).toBe(5_000);

    // Merchants keep wallets too.
    const merchant = await customerWith('USD', 'KES', 2_000, Role.MERCHANT);
    const converted = await convert(
      merchant.user,
      convertInput(merchant.source, merchant.target, 2_000),
    );
    expect(converted.netToMinor).toBe(255_115); // 259 000 − 3 885
  });

  it('refuses a conversion within one currency', async () => {
    const { user, source } = await customerWith('USD', 'KES', 1_000);
    expect(
      await failure(CONVERT, convertInput(source, source, 100), user.accessToken),
    ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'WALLET_FX_SAME_CURRENCY' });
    expect(
      await failure(
        QUOTE,
        { fromCurrency: 'USD', toCurrency: 'USD', amountMinor: 100 },
        user.accessToken,
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'WALLET_FX_SAME_CURRENCY' });
  });

  it('converts between JPY (no minor unit) and USD both ways', async () => {
    await setRate('JPY', 'USD', '0.0067', 50);
    await setRate('USD', 'JPY', '149.123456789012', 0);
    const { user, source: jpy, target: usd } = await customerWith('JPY', 'USD', 100_000);
    const before = await platformBalances('JPY', 'USD');

    // ¥1 is worth 0.67 cents: nothing left after rounding down.
    expect(await failure(CONVERT, convertInput(jpy, usd, 1), user.accessToken)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'WALLET_FX_AMOUNT_TOO_SMALL',
    });

    // ¥1000 × 0.0067 = $6.70 = 670 cents; fee 0.5% = 3.35 -> 4; net 666.
    expect(await quote(user, 'JPY', 'USD', 1_000)).toMatchObject({
      grossToMinor: 670,
      feeMinor: 4,
      netToMinor: 666,
    });
    const toUsd = await convert(user, convertInput(jpy, usd, 1_000));
    expect(toUsd).toMatchObject({ grossToMinor: 670, feeMinor: 4, netToMinor: 666 });
    expect((await walletOf(jpy.id)).balanceMinor).toBe(99_000);
    expect((await walletOf(usd.id)).balanceMinor).toBe(666);
    const after = await platformBalances('JPY', 'USD');
    expect(after.fxFrom - before.fxFrom).toBe(-1_000);
    expect(after.fxTo - before.fxTo).toBe(670);
    expect(after.feesTo - before.feesTo).toBe(4);

    // $6.66 × 149.123456789012 = ¥993.16... -> ¥993, no fee (and no fee posting).
    const back = await convert(user, convertInput(usd, jpy, 666));
    expect(back).toMatchObject({
      rate: '149.123456789012',
      grossToMinor: 993,
      feeMinor: 0,
      netToMinor: 993,
    });
    expect((await walletOf(usd.id)).balanceMinor).toBe(0);
    expect((await walletOf(jpy.id)).balanceMinor).toBe(99_993);
    const [postings] = (await t.app.get(DataSource).query(
      `SELECT COUNT(*) AS n FROM ledger_postings posting
         JOIN journal_entries entry ON entry.id = posting.journal_entry_id
        WHERE entry.kind = 'wallet.fx' AND entry.reference = ?`,
      [back.id],
    )) as { n: string }[];
    expect(Number(postings.n)).toBe(4);
  });
});
