import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { EncryptionService } from '../../src/common/crypto/encryption.service';
import { isLuhnValid, luhnCheckDigit } from '../../src/modules/cards/card-number';
import { networkSignatureHeader } from '../../src/modules/cards/network-signature';
import { panAad } from '../../src/modules/cards/virtual-cards.service';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import { Role } from '../../src/modules/users/role';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';
import { undescribed } from '../utils/schema-descriptions';
import { fundWallet } from '../factories/wallets.factory';

const NETWORK_SECRET = 'e2e-card-network-secret-0123456789abcdef';
const CVV_KEY = 'e2e-card-cvv-key-0123456789abcdef012345';
const BIN = '489999';
const MAX_OPEN_CARDS = 3;

const CARD_FIELDS = `id walletId userId currency brand last4 expMonth expYear status frozenByStaff
  perTransactionLimitMinor dailyLimitMinor label closedAt`;
const OPEN = `mutation($input: OpenWalletInput!) { openWallet(input: $input) { id } }`;
const WALLET = `query($id: ID!) { wallet(id: $id) { id status balanceMinor heldMinor availableMinor } }`;
const HOLDS = `query($walletId: ID!) {
  walletHolds(walletId: $walletId) { edges { node { id status amountMinor capturedAmountMinor reference } } }
}`;
const FREEZE_WALLET = `mutation($input: WalletStatusInput!) { freezeWallet(input: $input) { id status } }`;
const UNFREEZE_WALLET = `mutation($input: WalletStatusInput!) { unfreezeWallet(input: $input) { id status } }`;
const ISSUE = `mutation($input: IssueVirtualCardInput!) {
  issueVirtualCard(input: $input) { number cvv expMonth expYear card { ${CARD_FIELDS} } }
}`;
const CARD = `query($id: ID!) { virtualCard(id: $id) { ${CARD_FIELDS} } }`;
const CARDS = `query($walletId: ID!, $first: Int, $after: String) {
  virtualCards(walletId: $walletId, first: $first, after: $after) {
    edges { node { id last4 status } } pageInfo { hasNextPage endCursor }
  }
}`;
const FREEZE = `mutation($id: ID!) { freezeVirtualCard(id: $id) { id status frozenByStaff } }`;
const UNFREEZE = `mutation($id: ID!) { unfreezeVirtualCard(id: $id) { id status frozenByStaff } }`;
const CLOSE = `mutation($id: ID!) { closeVirtualCard(id: $id) { id status closedAt } }`;
const LIMITS = `mutation($input: SetVirtualCardLimitsInput!) {
  setVirtualCardLimits(input: $input) { id perTransactionLimitMinor dailyLimitMinor }
}`;
const AUTHORIZATIONS = `query($cardId: ID!, $first: Int, $after: String) {
  cardAuthorizations(cardId: $cardId, first: $first, after: $after) {
    edges { cursor node { id networkAuthorizationId cardId amountMinor currency status declineCode
      authorizationCode holdId capturedMinor merchantName merchantCategoryCode merchantCountry } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface IssuedCard {
  number: string;
  cvv: string;
  expMonth: number;
  expYear: number;
  card: {
    id: string;
    walletId: string;
    userId: string;
    currency: string;
    brand: string;
    last4: string;
    expMonth: number;
    expYear: number;
    status: string;
    frozenByStaff: boolean;
    perTransactionLimitMinor: number | null;
    dailyLimitMinor: number | null;
    label: string | null;
    closedAt: string | null;
  };
}
interface WalletNode {
  id: string;
  status: string;
  balanceMinor: number;
  heldMinor: number;
  availableMinor: number;
}
interface HoldNode {
  id: string;
  status: string;
  amountMinor: number;
  capturedAmountMinor: number;
  reference: string;
}
interface AuthorizationNode {
  id: string;
  networkAuthorizationId: string;
  amountMinor: number;
  status: string;
  declineCode: string | null;
  authorizationCode: string | null;
  holdId: string | null;
  capturedMinor: number;
  merchantName: string;
}
interface NetworkResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}
interface Decision {
  id: string;
  approved: boolean;
  authorizationCode?: string;
  declineCode?: string;
  message: string;
}
interface Settlement {
  id: string;
  status: string;
  amountMinor: number;
  capturedMinor: number;
  releasedMinor: number;
  currency: string;
}
interface NetworkError {
  error: { code: string; reason?: string; message: string };
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error('condition not met in time');
}

describe('Virtual cards and the card network endpoint (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let secondAdmin: TestUser;
  let support: TestUser;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp({
      CARD_NETWORK_SECRET: NETWORK_SECRET,
      CARD_CVV_KEY: CVV_KEY,
      CARD_BIN: BIN,
      CARD_MAX_ACTIVE_PER_WALLET: String(MAX_OPEN_CARDS),
      WALLET_HOLD_SWEEP_MS: '300',
    });
    db = t.app.get(DataSource);
    admin = await createUser(t, { role: Role.ADMIN });
    secondAdmin = await createUser(t, { role: Role.ADMIN });
    support = await createUser(t, { role: Role.SUPPORT });
  });

  afterAll(async () => {
    // Every journal this file posted must still check out.
    const report = await t?.app.get(LedgerService).verify();
    await t?.close();
    expect(report?.ok).toBe(true);
  });

  // ---- helpers ----

  const fund = (walletId: string, amountMinor: number): Promise<void> =>
    fundWallet(t, walletId, amountMinor, admin, secondAdmin);

  const walletOf = async (id: string): Promise<WalletNode> =>
    (await t.gql.ok<{ wallet: WalletNode }>(WALLET, { id }, admin.accessToken)).wallet;

  const holdsOf = async (walletId: string): Promise<HoldNode[]> =>
    (
      await t.gql.ok<{ walletHolds: { edges: { node: HoldNode }[] } }>(
        HOLDS,
        { walletId },
        admin.accessToken,
      )
    ).walletHolds.edges.map((edge) => edge.node);

  const issue = async (
    user: TestUser,
    walletId: string,
    extra: Record<string, unknown> = {},
  ): Promise<IssuedCard> =>
    (
      await t.gql.ok<{ issueVirtualCard: IssuedCard }>(
        ISSUE,
        { input: { walletId, ...extra } },
        user.accessToken,
      )
    ).issueVirtualCard;

  /** A customer with a funded USD wallet and one card on it. */
  const cardholder = async (
    fundedMinor = 10_000,
    extra: Record<string, unknown> = {},
  ): Promise<{ user: TestUser; walletId: string; issued: IssuedCard }> => {
    const user = await createUser(t);
    const { openWallet } = await t.gql.ok<{ openWallet: { id: string } }>(
      OPEN,
      { input: { currency: 'USD' } },
      user.accessToken,
    );
    if (fundedMinor > 0) await fund(openWallet.id, fundedMinor);
    return { user, walletId: openWallet.id, issued: await issue(user, openWallet.id, extra) };
  };

  const authorizationsOf = async (
    cardId: string,
    token = admin.accessToken,
  ): Promise<AuthorizationNode[]> =>
    (
      await t.gql.ok<{ cardAuthorizations: { edges: { node: AuthorizationNode }[] } }>(
        AUTHORIZATIONS,
        { cardId, first: 100 },
        token,
      )
    ).cardAuthorizations.edges.map((edge) => edge.node);

  /** Calls the network endpoint as the network does: raw JSON, signed with its path. */
  const network = async <T = Record<string, unknown>>(
    path: string,
    body: unknown,
    options: {
      secret?: string;
      timestamp?: number;
      header?: string | null;
      raw?: string;
      contentType?: string | null;
    } = {},
  ): Promise<NetworkResponse<T>> => {
    const raw = options.raw ?? JSON.stringify(body);
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const target = `/card-network${path}`;
    const header =
      options.header === undefined
        ? networkSignatureHeader(options.secret ?? NETWORK_SECRET, timestamp, raw, target)
        : options.header;
    const contentType =
      options.contentType === undefined ? 'application/json' : options.contentType;
    const response = await fetch(`${t.url}${target}`, {
      method: 'POST',
      headers: {
        ...(contentType === null ? {} : { 'content-type': contentType }),
        ...(header === null ? {} : { 'payrail-network-signature': header }),
      },
      body: raw === '' && contentType === null ? undefined : raw,
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  const authorizationBody = (
    issued: IssuedCard,
    overrides: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    id: `auth_${randomUUID()}`,
    cardNumber: issued.number,
    expMonth: issued.expMonth,
    expYear: issued.expYear,
    cvv: issued.cvv,
    amountMinor: 1_000,
    currency: 'USD',
    merchant: { name: 'Corner Coffee', categoryCode: '5814', country: 'US' },
    ...overrides,
  });

  const authorize = async (
    issued: IssuedCard,
    overrides: Record<string, unknown> = {},
  ): Promise<{ status: number; decision: Decision; id: string }> => {
    const body = authorizationBody(issued, overrides);
    const response = await network<Decision>('/authorizations', body);
    return { status: response.status, decision: response.body, id: body.id as string };
  };

  const capture = (id: string, amountMinor: number) =>
    network<Settlement & NetworkError>(`/authorizations/${id}/capture`, { amountMinor });
  const reverse = (id: string) =>
    network<Settlement & NetworkError>(`/authorizations/${id}/reversal`, {});

  const countRows = async (table: 'card_authorizations' | 'wallet_holds'): Promise<number> =>
    Number(((await db.query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: string }[])[0]!.n);

  const gqlError = async (
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

  // ---- schema ----

  it('describes every card type, field, argument and enum value, and never exposes the number', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    expect(undescribed(schema, (name: string) => /card/i.test(name))).toEqual([]);
    const card = schema.getType('VirtualCard') as unknown as { getFields(): object };
    expect(Object.keys(card.getFields())).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/number|cvv|pan|fingerprint/i)]),
    );
  });

  // ---- issuing ----

  it('issues a Luhn-valid card whose number and CVV are stored nowhere in clear', async () => {
    const { user, walletId, issued } = await cardholder(0, {
      label: 'Groceries',
      perTransactionLimitMinor: 5_000,
    });
    expect(issued.number).toMatch(new RegExp(`^${BIN}\\d{10}$`));
    expect(isLuhnValid(issued.number)).toBe(true);
    expect(issued.cvv).toMatch(/^\d{3}$/);
    const now = new Date();
    const months =
      (issued.expYear - now.getUTCFullYear()) * 12 + issued.expMonth - 1 - now.getUTCMonth();
    expect(months).toBe(36);
    expect(issued.card).toMatchObject({
      walletId,
      userId: user.id,
      currency: 'USD',
      brand: 'VISA',
      last4: issued.number.slice(-4),
      status: 'ACTIVE',
      frozenByStaff: false,
      perTransactionLimitMinor: 5_000,
      dailyLimitMinor: null,
      label: 'Groceries',
      expMonth: issued.expMonth,
      expYear: issued.expYear,
    });

    // The raw row: no column holds the number or the CVV.
    const [row] = (await db.query('SELECT * FROM virtual_cards WHERE id = ?', [
      issued.card.id,
    ])) as Record<string, unknown>[];
    for (const [column, value] of Object.entries(row!)) {
      const text = value instanceof Date ? value.toISOString() : String(value);
      expect({ column, containsNumber: text.includes(issued.number) }).toEqual({
        column,
        containsNumber: false,
      });
      expect({ column, isCvv: text === issued.cvv }).toEqual({ column, isCvv: false });
    }
    expect(JSON.stringify(row)).not.toContain(issued.number);
    expect(JSON.stringify(row)).not.toMatch(new RegExp(`"cvv`, 'i'));
    expect(row!.last4).toBe(issued.number.slice(-4));
    // ...but the encrypted number decrypts to it, bound to this row.
    const encryption = t.app.get(EncryptionService);
    expect(encryption.decrypt(row!.number_encrypted as string, panAad(issued.card.id))).toBe(
      issued.number,
    );
    expect(() =>
      encryption.decrypt(row!.number_encrypted as string, panAad(randomUUID())),
    ).toThrow();

    // Nor does the audit log (nor any other table we wrote).
    const audit = (await db.query(`SELECT action, details FROM audit_log WHERE object_id = ?`, [
      issued.card.id,
    ])) as { action: string; details: unknown }[];
    expect(audit.map((entry) => entry.action)).toEqual(['card.issue']);
    expect(JSON.stringify(audit)).not.toContain(issued.number);
    expect(JSON.stringify(audit)).not.toMatch(/cvv/i);

    // Reads show the last four digits, never the number.
    const read = await t.gql.ok<{ virtualCard: IssuedCard['card'] }>(
      CARD,
      { id: issued.card.id },
      user.accessToken,
    );
    expect(JSON.stringify(read)).not.toContain(issued.number);
    expect(read.virtualCard.last4).toBe(issued.number.slice(-4));
  });

  it('lists a wallet’s cards newest first with keyset pages and caps open cards per wallet', async () => {
    const { user, walletId, issued } = await cardholder(0);
    const second = await issue(user, walletId);
    const third = await issue(user, walletId);
    expect(new Set([issued.number, second.number, third.number]).size).toBe(3);
    expect(await gqlError(ISSUE, { input: { walletId } }, user.accessToken)).toEqual({
      code: 'CONFLICT',
      reason: 'CARD_ACTIVE_LIMIT_REACHED',
    });
    // Closing one makes room again.
    await t.gql.ok(CLOSE, { id: second.card.id }, user.accessToken);
    const fourth = await issue(user, walletId);
    // So does a card past its expiry: it can never be used again.
    await db.query('UPDATE virtual_cards SET exp_year = 2020 WHERE id = ?', [third.card.id]);
    const fifth = await issue(user, walletId);
    expect(await gqlError(ISSUE, { input: { walletId } }, user.accessToken)).toMatchObject({
      reason: 'CARD_ACTIVE_LIMIT_REACHED',
    });

    type Page = {
      virtualCards: {
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const first = await t.gql.ok<Page>(CARDS, { walletId, first: 2 }, user.accessToken);
    expect(first.virtualCards.pageInfo.hasNextPage).toBe(true);
    const rest = await t.gql.ok<Page>(
      CARDS,
      { walletId, first: 3, after: first.virtualCards.pageInfo.endCursor },
      user.accessToken,
    );
    expect(rest.virtualCards.pageInfo.hasNextPage).toBe(false);
    expect(
      [...first.virtualCards.edges, ...rest.virtualCards.edges].map((edge) => edge.node.id),
    ).toEqual([fifth.card.id, fourth.card.id, third.card.id, second.card.id, issued.card.id]);
  });

  it('refuses to issue on a frozen, unknown or someone else’s wallet, and to staff', async () => {
    const { user, walletId } = await cardholder(0);
    const stranger = await createUser(t);
    expect(await gqlError(ISSUE, { input: { walletId } }, stranger.accessToken)).toEqual({
      code: 'NOT_FOUND',
      reason: 'CARD_WALLET_NOT_FOUND',
    });
    expect(
      await gqlError(ISSUE, { input: { walletId: randomUUID() } }, user.accessToken),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect((await gqlError(ISSUE, { input: { walletId } }, admin.accessToken)).code).toBe(
      'FORBIDDEN',
    );
    expect((await gqlError(ISSUE, { input: { walletId } }, support.accessToken)).code).toBe(
      'FORBIDDEN',
    );
    const anonymous = await t.gql.request(ISSUE, { input: { walletId } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(
      await gqlError(ISSUE, { input: { walletId, perTransactionLimitMinor: 0 } }, user.accessToken),
    ).toMatchObject({ code: 'BAD_USER_INPUT' });

    await t.gql.ok(FREEZE_WALLET, { input: { walletId } }, admin.accessToken);
    expect(await gqlError(ISSUE, { input: { walletId } }, user.accessToken)).toEqual({
      code: 'CONFLICT',
      reason: 'CARD_WALLET_FROZEN',
    });
  });

  // ---- roles ----

  it('lets only the holder and staff see a card, and only the holder and admins change it', async () => {
    const { user, walletId, issued } = await cardholder(0);
    const cardId = issued.card.id;
    const stranger = await createUser(t);
    for (const query of [CARD, FREEZE, UNFREEZE, CLOSE]) {
      expect(await gqlError(query, { id: cardId }, stranger.accessToken)).toEqual({
        code: 'NOT_FOUND',
        reason: 'CARD_NOT_FOUND',
      });
    }
    expect(
      await gqlError(
        LIMITS,
        { input: { cardId, perTransactionLimitMinor: 1 } },
        stranger.accessToken,
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await gqlError(AUTHORIZATIONS, { cardId }, stranger.accessToken)).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await gqlError(CARDS, { walletId }, stranger.accessToken)).toMatchObject({
      code: 'NOT_FOUND',
    });

    // Support reads, but cannot change anything.
    expect(
      (await t.gql.ok<{ virtualCard: { id: string } }>(CARD, { id: cardId }, support.accessToken))
        .virtualCard.id,
    ).toBe(cardId);
    expect(await authorizationsOf(cardId, support.accessToken)).toEqual([]);
    expect((await gqlError(FREEZE, { id: cardId }, support.accessToken)).code).toBe('FORBIDDEN');
    expect((await gqlError(CLOSE, { id: cardId }, support.accessToken)).code).toBe('FORBIDDEN');

    // The holder sets and removes limits; an explicit null removes one, an omitted one stays.
    const limited = await t.gql.ok<{
      setVirtualCardLimits: {
        perTransactionLimitMinor: number | null;
        dailyLimitMinor: number | null;
      };
    }>(
      LIMITS,
      { input: { cardId, perTransactionLimitMinor: 700, dailyLimitMinor: 2_000 } },
      user.accessToken,
    );
    expect(limited.setVirtualCardLimits).toMatchObject({
      perTransactionLimitMinor: 700,
      dailyLimitMinor: 2_000,
    });
    const cleared = await t.gql.ok<{
      setVirtualCardLimits: {
        perTransactionLimitMinor: number | null;
        dailyLimitMinor: number | null;
      };
    }>(LIMITS, { input: { cardId, perTransactionLimitMinor: null } }, admin.accessToken);
    expect(cleared.setVirtualCardLimits).toMatchObject({
      perTransactionLimitMinor: null,
      dailyLimitMinor: 2_000,
    });

    // An admin's freeze can only be lifted by an admin.
    const frozen = await t.gql.ok<{
      freezeVirtualCard: { status: string; frozenByStaff: boolean };
    }>(FREEZE, { id: cardId }, admin.accessToken);
    expect(frozen.freezeVirtualCard).toEqual({ id: cardId, status: 'FROZEN', frozenByStaff: true });
    expect(await gqlError(UNFREEZE, { id: cardId }, user.accessToken)).toEqual({
      code: 'FORBIDDEN',
      reason: 'CARD_FROZEN_BY_STAFF',
    });
    await t.gql.ok(UNFREEZE, { id: cardId }, admin.accessToken);
    // The holder's own freeze the holder lifts.
    await t.gql.ok(FREEZE, { id: cardId }, user.accessToken);
    expect(
      (
        await t.gql.ok<{ unfreezeVirtualCard: { status: string } }>(
          UNFREEZE,
          { id: cardId },
          user.accessToken,
        )
      ).unfreezeVirtualCard.status,
    ).toBe('ACTIVE');

    const actions = (
      (await db.query(`SELECT action FROM audit_log WHERE object_id = ? ORDER BY occurred_at`, [
        cardId,
      ])) as { action: string }[]
    ).map((row) => row.action);
    expect(actions).toEqual([
      'card.issue',
      'card.limits.update',
      'card.limits.update',
      'card.freeze',
      'card.unfreeze',
      'card.freeze',
      'card.unfreeze',
    ]);
  });

  it('an admin freezing a card its holder froze takes the freeze over', async () => {
    const { user, issued } = await cardholder(0);
    const cardId = issued.card.id;
    await t.gql.ok(FREEZE, { id: cardId }, user.accessToken);
    const taken = await t.gql.ok<{
      freezeVirtualCard: { id: string; status: string; frozenByStaff: boolean };
    }>(FREEZE, { id: cardId }, admin.accessToken);
    expect(taken.freezeVirtualCard).toEqual({ id: cardId, status: 'FROZEN', frozenByStaff: true });
    // The holder can no longer lift it; freezing again changes nothing more.
    expect(await gqlError(UNFREEZE, { id: cardId }, user.accessToken)).toEqual({
      code: 'FORBIDDEN',
      reason: 'CARD_FROZEN_BY_STAFF',
    });
    await t.gql.ok(FREEZE, { id: cardId }, admin.accessToken);
    await t.gql.ok(FREEZE, { id: cardId }, user.accessToken);
    expect(
      (
        await t.gql.ok<{ virtualCard: { frozenByStaff: boolean } }>(
          CARD,
          { id: cardId },
          user.accessToken,
        )
      ).virtualCard.frozenByStaff,
    ).toBe(true);
    const audit = (await db.query(
      `SELECT action, details FROM audit_log WHERE object_id = ? ORDER BY occurred_at`,
      [cardId],
    )) as { action: string; details: unknown }[];
    expect(audit.map((entry) => entry.action)).toEqual([
      'card.issue',
      'card.freeze',
      'card.freeze',
    ]);
    const details = (entry: { details: unknown }) =>
      (typeof entry.details === 'string' ? JSON.parse(entry.details) : entry.details) as Record<
        string,
        unknown
      >;
    expect(details(audit[2]!)).toMatchObject({ from: 'FROZEN', to: 'FROZEN', frozenByStaff: true });
    const lifted = await t.gql.ok<{
      unfreezeVirtualCard: { status: string; frozenByStaff: boolean };
    }>(UNFREEZE, { id: cardId }, admin.accessToken);
    expect(lifted.unfreezeVirtualCard).toMatchObject({ status: 'ACTIVE', frozenByStaff: false });
  });

  // ---- authorization, capture, reversal ----

  it('approves by holding the money, then a partial capture pays the network and releases the rest', async () => {
    const { user, walletId, issued } = await cardholder(10_000);
    const { status, decision, id } = await authorize(issued, { amountMinor: 2_500 });
    expect(status).toBe(200);
    expect(decision).toMatchObject({ id, approved: true, message: 'Approved' });
    expect(decision.authorizationCode).toMatch(/^[A-Z0-9]{6}$/);
    expect(decision.declineCode).toBeUndefined();

    expect(await walletOf(walletId)).toMatchObject({
      balanceMinor: 10_000,
      heldMinor: 2_500,
      availableMinor: 7_500,
    });
    const [hold] = await holdsOf(walletId);
    expect(hold).toMatchObject({
      status: 'ACTIVE',
      amountMinor: 2_500,
      reference: `card-auth:${id}`,
    });
    const [authorization] = await authorizationsOf(issued.card.id, user.accessToken);
    expect(authorization).toMatchObject({
      networkAuthorizationId: id,
      amountMinor: 2_500,
      status: 'APPROVED',
      declineCode: null,
      authorizationCode: decision.authorizationCode,
      holdId: hold!.id,
      merchantName: 'Corner Coffee',
    });

    const captured = await capture(id, 1_800);
    expect(captured.status).toBe(200);
    expect(captured.body).toEqual({
      id,
      status: 'CAPTURED',
      amountMinor: 2_500,
      capturedMinor: 1_800,
      releasedMinor: 700,
      currency: 'USD',
    });
    expect(await walletOf(walletId)).toMatchObject({
      balanceMinor: 8_200,
      heldMinor: 0,
      availableMinor: 8_200,
    });
    const ledger = t.app.get(LedgerService);
    expect(
      await ledger.balanceOf({ kind: 'user_wallet', ownerId: walletId, currency: 'USD' }),
    ).toBe(8_200);
    const networkAccount = {
      kind: 'gateway_clearing',
      ownerId: 'card_network',
      currency: 'USD',
    } as const;
    const before = await ledger.balanceOf(networkAccount);
    expect((await holdsOf(walletId))[0]).toMatchObject({
      status: 'CAPTURED',
      capturedAmountMinor: 1_800,
    });

    // The same capture again: the same answer, nothing posted twice. Another amount: refused.
    const again = await capture(id, 1_800);
    expect(again).toEqual(captured);
    expect(await ledger.balanceOf(networkAccount)).toBe(before);
    const other = await capture(id, 1_000);
    expect(other.status).toBe(409);
    expect(other.body.error.reason).toBe('CARD_CAPTURE_MISMATCH');
    // A reversal after the capture is refused.
    const late = await reverse(id);
    expect(late.status).toBe(409);
    expect(late.body.error.reason).toBe('CARD_AUTHORIZATION_NOT_REVERSIBLE');

    expect((await authorizationsOf(issued.card.id))[0]).toMatchObject({
      status: 'CAPTURED',
      capturedMinor: 1_800,
    });
    const entries = (await db.query(
      `SELECT action, details FROM audit_log WHERE object_type = 'card_authorization' AND object_id = (
         SELECT id FROM card_authorizations WHERE network_authorization_id = ?) ORDER BY occurred_at`,
      [id],
    )) as { action: string; details: unknown }[];
    expect(entries.map((row) => row.action)).toEqual([
      'card.authorization.approve',
      'card.authorization.capture',
    ]);
    // The network's id survives the audit log's redaction of secret-looking keys.
    for (const entry of entries) {
      const details = (
        typeof entry.details === 'string' ? JSON.parse(entry.details) : entry.details
      ) as Record<string, unknown>;
      expect(details.networkId).toBe(id);
      expect(JSON.stringify(details)).not.toContain('[redacted]');
    }
    expect(JSON.stringify(await db.query('SELECT details FROM audit_log'))).not.toContain(
      issued.number,
    );
  });

  it('moves the captured amounts to the card network’s clearing account', async () => {
    const ledger = t.app.get(LedgerService);
    const networkAccount = {
      kind: 'gateway_clearing',
      ownerId: 'card_network',
      currency: 'USD',
    } as const;
    const before = await ledger.balanceOf(networkAccount);
    const { walletId, issued } = await cardholder(5_000);
    const first = await authorize(issued, { amountMinor: 1_000 });
    const second = await authorize(issued, { amountMinor: 2_000 });
    expect((await capture(first.id, 1_000)).status).toBe(200);
    expect((await capture(second.id, 1_500)).status).toBe(200);
    // gateway_clearing is debit-normal: crediting it 2 500 moves its balance down by 2 500.
    expect(await ledger.balanceOf(networkAccount)).toBe(before - 2_500);
    expect(
      await ledger.balanceOf({ kind: 'user_wallet', ownerId: walletId, currency: 'USD' }),
    ).toBe(2_500);
  });

  it('a reversal releases the hold, and repeating it changes nothing', async () => {
    const { walletId, issued } = await cardholder(3_000);
    const { decision, id } = await authorize(issued, { amountMinor: 2_000 });
    expect(decision.approved).toBe(true);
    expect((await walletOf(walletId)).availableMinor).toBe(1_000);

    const reversed = await reverse(id);
    expect(reversed.status).toBe(200);
    expect(reversed.body).toMatchObject({
      id,
      status: 'REVERSED',
      capturedMinor: 0,
      releasedMinor: 2_000,
    });
    expect(await walletOf(walletId)).toMatchObject({
      balanceMinor: 3_000,
      heldMinor: 0,
      availableMinor: 3_000,
    });
    expect((await holdsOf(walletId))[0]!.status).toBe('RELEASED');
    expect(await reverse(id)).toEqual(reversed);
    const captureAfter = await capture(id, 100);
    expect(captureAfter.status).toBe(409);
    expect(captureAfter.body.error.reason).toBe('CARD_AUTHORIZATION_NOT_CAPTURABLE');
    expect((await authorizationsOf(issued.card.id))[0]!.status).toBe('REVERSED');

    const unknown = await capture(`auth_${randomUUID()}`, 100);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.reason).toBe('CARD_AUTHORIZATION_NOT_FOUND');
    expect((await reverse(`auth_${randomUUID()}`)).status).toBe(404);
    const tooMuch = await authorize(issued, { amountMinor: 500 });
    const over = await capture(tooMuch.id, 501);
    expect(over.status).toBe(409);
    expect(over.body.error.reason).toBe('CARD_CAPTURE_EXCEEDS_AUTHORIZATION');
  });

  it('answers a repeated authorization id with the same decision and one hold, even concurrently', async () => {
    const { walletId, issued } = await cardholder(10_000);
    const body = authorizationBody(issued, { amountMinor: 1_200 });
    const first = await network<Decision>('/authorizations', body);
    const second = await network<Decision>('/authorizations', body);
    expect(first.status).toBe(200);
    expect(second).toEqual(first);

    const concurrent = authorizationBody(issued, { amountMinor: 800 });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => network<Decision>('/authorizations', concurrent)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect(answers[0]!.body.approved).toBe(true);

    const holds = await holdsOf(walletId);
    expect(holds.map((hold) => hold.amountMinor).sort((a, b) => a - b)).toEqual([800, 1_200]);
    expect(await walletOf(walletId)).toMatchObject({ heldMinor: 2_000, availableMinor: 8_000 });
    const rows = (await db.query(
      'SELECT COUNT(*) AS n FROM card_authorizations WHERE network_authorization_id IN (?, ?)',
      [body.id, concurrent.id],
    )) as { n: string }[];
    expect(Number(rows[0]!.n)).toBe(2);

    // The same id with another amount (or card) is a conflict, not a new decision.
    const changed = await network<NetworkError>('/authorizations', { ...body, amountMinor: 1_300 });
    expect(changed.status).toBe(409);
    expect(changed.body.error.reason).toBe('CARD_AUTHORIZATION_MISMATCH');
    const other = await cardholder(1_000);
    const otherCard = await network<NetworkError>('/authorizations', {
      ...authorizationBody(other.issued),
      id: body.id,
    });
    expect(otherCard.status).toBe(409);
    expect((await holdsOf(other.walletId)).length).toBe(0);

    // A repeated decline is the same decline.
    const declined = authorizationBody(issued, { cvv: issued.cvv === '000' ? '001' : '000' });
    const declines = await Promise.all(
      Array.from({ length: 3 }, () => network<Decision>('/authorizations', declined)),
    );
    expect(declines.map((answer) => answer.body.declineCode)).toEqual([
      'incorrect_cvc',
      'incorrect_cvc',
      'incorrect_cvc',
    ]);
  });

  it('declines on a frozen card until it is unfrozen, while earlier approvals still capture', async () => {
    const { user, walletId, issued } = await cardholder(5_000);
    const earlier = await authorize(issued, { amountMinor: 1_000 });
    expect(earlier.decision.approved).toBe(true);
    await t.gql.ok(FREEZE, { id: issued.card.id }, user.accessToken);

    const refused = await authorize(issued);
    expect(refused.decision).toEqual({
      id: refused.id,
      approved: false,
      declineCode: 'card_frozen',
      message: expect.any(String),
    });
    expect((await capture(earlier.id, 1_000)).body).toMatchObject({ status: 'CAPTURED' });

    await t.gql.ok(UNFREEZE, { id: issued.card.id }, user.accessToken);
    expect((await authorize(issued)).decision.approved).toBe(true);

    // A frozen wallet declines as card_frozen too.
    await t.gql.ok(FREEZE_WALLET, { input: { walletId } }, admin.accessToken);
    expect((await authorize(issued)).decision.declineCode).toBe('card_frozen');
    await t.gql.ok(UNFREEZE_WALLET, { input: { walletId } }, admin.accessToken);
    expect((await authorize(issued)).decision.approved).toBe(true);
  });

  it('declines on a closed card for good', async () => {
    const { user, issued } = await cardholder(5_000);
    const open = await authorize(issued, { amountMinor: 700 });
    const closed = await t.gql.ok<{ closeVirtualCard: { status: string; closedAt: string } }>(
      CLOSE,
      { id: issued.card.id },
      user.accessToken,
    );
    expect(closed.closeVirtualCard.status).toBe('CLOSED');
    expect(closed.closeVirtualCard.closedAt).toEqual(expect.any(String));
    expect((await authorize(issued)).decision.declineCode).toBe('card_closed');
    expect(await gqlError(UNFREEZE, { id: issued.card.id }, admin.accessToken)).toEqual({
      code: 'CONFLICT',
      reason: 'CARD_CLOSED',
    });
    expect(
      await gqlError(
        LIMITS,
        { input: { cardId: issued.card.id, dailyLimitMinor: 5 } },
        user.accessToken,
      ),
    ).toEqual({ code: 'CONFLICT', reason: 'CARD_CLOSED' });
    // The approval given before closing can still be captured.
    expect((await capture(open.id, 700)).body).toMatchObject({ status: 'CAPTURED' });
  });

  it('declines everything on a card after five wrong CVVs in a day (a guessing attack)', async () => {
    const { walletId, issued } = await cardholder(5_000);
    const wrong = String((Number(issued.cvv) + 1) % 1000).padStart(3, '0');
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await authorize(issued, { cvv: wrong })).decision.declineCode).toBe('incorrect_cvc');
    }
    // Even the right CVV, or none, is refused now; nothing is held.
    expect((await authorize(issued)).decision.declineCode).toBe('cvv_attempts_exceeded');
    const withoutCvv = authorizationBody(issued);
    delete withoutCvv.cvv;
    expect((await network<Decision>('/authorizations', withoutCvv)).body.declineCode).toBe(
      'cvv_attempts_exceeded',
    );
    expect(await walletOf(walletId)).toMatchObject({ heldMinor: 0, availableMinor: 5_000 });
    // Another card is not affected.
    const other = await cardholder(1_000);
    expect((await authorize(other.issued, { amountMinor: 100 })).decision.approved).toBe(true);
  });

  it('checks the CVV when given, the expiry, the currency and unknown numbers', async () => {
    const { walletId, issued } = await cardholder(5_000);
    const wrong = String((Number(issued.cvv) + 1) % 1000).padStart(3, '0');
    expect((await authorize(issued, { cvv: wrong })).decision.declineCode).toBe('incorrect_cvc');
    const withoutCvv = authorizationBody(issued);
    delete withoutCvv.cvv;
    expect((await network<Decision>('/authorizations', withoutCvv)).body.approved).toBe(true);
    expect((await authorize(issued, { expYear: issued.expYear + 1 })).decision.declineCode).toBe(
      'invalid_expiry_date',
    );
    expect((await authorize(issued, { currency: 'EUR' })).decision.declineCode).toBe(
      'currency_not_supported',
    );
    // A valid number under our BIN that no card has.
    const partial = `${BIN}000000000`;
    const unknown = await authorize(issued, { cardNumber: `${partial}${luhnCheckDigit(partial)}` });
    expect(unknown.decision).toMatchObject({ approved: false, declineCode: 'card_not_found' });
    // Neither number (nor the CVV sent with them) is kept in any row this flow wrote.
    const written = JSON.stringify([
      await db.query('SELECT * FROM card_authorizations WHERE wallet_id = ? OR card_id IS NULL', [
        walletId,
      ]),
      await db.query('SELECT * FROM wallet_holds WHERE wallet_id = ?', [walletId]),
      await db.query(
        "SELECT details FROM audit_log WHERE action LIKE 'card.%' OR action LIKE 'wallet.hold.%'",
      ),
    ]);
    expect(written).not.toContain(issued.number);
    expect(written).not.toContain(`${partial}${luhnCheckDigit(partial)}`);
    expect(written).not.toMatch(/"(cvv|cvc)"/i);
    // Only the approval without CVV holds anything.
    expect((await holdsOf(walletId)).length).toBe(1);

    // An expired card: move its expiry into the past.
    await db.query('UPDATE virtual_cards SET exp_year = 2020, exp_month = 1 WHERE id = ?', [
      issued.card.id,
    ]);
    expect((await authorize(issued, { expYear: 2020, expMonth: 1 })).decision.declineCode).toBe(
      'expired_card',
    );

    const declines = (await authorizationsOf(issued.card.id)).filter(
      (row) => row.status === 'DECLINED',
    );
    expect(declines.map((row) => row.declineCode).sort()).toEqual([
      // GraphQL shows the enum's names; the network gets the lower-case wire values.
      'CURRENCY_NOT_SUPPORTED',
      'EXPIRED_CARD',
      'INCORRECT_CVC',
      'INVALID_EXPIRY_DATE',
    ]);
    expect(declines.every((row) => row.holdId === null && row.authorizationCode === null)).toBe(
      true,
    );
  });

  it('declines above the per-transaction and daily limits, and counts only live approvals', async () => {
    const { user, issued } = await cardholder(20_000, {
      perTransactionLimitMinor: 3_000,
      dailyLimitMinor: 5_000,
    });
    expect((await authorize(issued, { amountMinor: 3_001 })).decision.declineCode).toBe(
      'limit_exceeded',
    );
    const first = await authorize(issued, { amountMinor: 3_000 });
    expect(first.decision.approved).toBe(true);
    const second = await authorize(issued, { amountMinor: 2_000 });
    expect(second.decision.approved).toBe(true);
    expect((await authorize(issued, { amountMinor: 1 })).decision.declineCode).toBe(
      'limit_exceeded',
    );
    // A reversal gives its amount back to the day; a capture counts what was captured.
    await reverse(second.id);
    await capture(first.id, 2_500);
    expect((await authorize(issued, { amountMinor: 2_501 })).decision.declineCode).toBe(
      'limit_exceeded',
    );
    expect((await authorize(issued, { amountMinor: 2_500 })).decision.approved).toBe(true);
    // Raising the limit lets more through.
    await t.gql.ok(
      LIMITS,
      { input: { cardId: issued.card.id, dailyLimitMinor: null } },
      user.accessToken,
    );
    expect((await authorize(issued, { amountMinor: 3_000 })).decision.approved).toBe(true);
  });

  it('declines for insufficient funds without holding anything', async () => {
    const { walletId, issued } = await cardholder(1_000);
    const first = await authorize(issued, { amountMinor: 800 });
    expect(first.decision.approved).toBe(true);
    const refused = await authorize(issued, { amountMinor: 201 });
    expect(refused.decision).toMatchObject({ approved: false, declineCode: 'insufficient_funds' });
    expect((await holdsOf(walletId)).length).toBe(1);
    expect(await walletOf(walletId)).toMatchObject({ heldMinor: 800, availableMinor: 200 });
    expect((await authorize(issued, { amountMinor: 200 })).decision.approved).toBe(true);
  });

  // ---- the endpoint's guard rails ----

  it('refuses unsigned, mis-signed and stale calls with 401 and stores nothing', async () => {
    const { walletId, issued } = await cardholder(5_000);
    const approved = await authorize(issued, { amountMinor: 100 });
    const authorizations = await countRows('card_authorizations');
    const holds = await countRows('wallet_holds');
    const body = authorizationBody(issued);
    const raw = JSON.stringify(body);
    const now = Math.floor(Date.now() / 1000);
    const attempts: NetworkResponse<NetworkError>[] = [
      await network('/authorizations', body, { header: null }),
      await network('/authorizations', body, { header: 'garbage' }),
      await network('/authorizations', body, { secret: 'not-the-network-secret-0123456789' }),
      await network('/authorizations', body, { timestamp: now - 301 }),
      await network('/authorizations', body, {
        // Signed, then tampered with: a bigger amount.
        raw: raw.replace('"amountMinor":1000', '"amountMinor":4000'),
        header: networkSignatureHeader(NETWORK_SECRET, now, raw, '/card-network/authorizations'),
      }),
      await network(
        `/authorizations/${approved.id}/capture`,
        { amountMinor: 100 },
        { header: null },
      ),
      await network(
        `/authorizations/${approved.id}/reversal`,
        {},
        { secret: 'wrong-secret-0123456789abcdef0123' },
      ),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(401);
      expect(attempt.body.error).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'CARD_NETWORK_SIGNATURE_INVALID',
      });
    }
    expect(await countRows('card_authorizations')).toBe(authorizations);
    expect(await countRows('wallet_holds')).toBe(holds);
    expect((await authorizationsOf(issued.card.id))[0]!.status).toBe('APPROVED');
    expect((await walletOf(walletId)).heldMinor).toBe(100);
  });

  it('refuses a malformed body with 400 naming the field, and stores nothing', async () => {
    const { issued } = await cardholder(5_000);
    const authorizations = await countRows('card_authorizations');
    const cases: [Record<string, unknown>, string][] = [
      [{ amountMinor: '1000' }, 'amountMinor'],
      [{ amountMinor: 0 }, 'amountMinor'],
      [{ amountMinor: 10.5 }, 'amountMinor'],
      [{ currency: 'usd' }, 'currency'],
      [{ cardNumber: '4242' }, 'cardNumber'],
      [{ expMonth: 13 }, 'expMonth'],
      [{ cvv: '12' }, 'cvv'],
      [{ id: 'has spaces' }, 'id'],
      [{ merchant: { name: 'X', categoryCode: '58', country: 'US' } }, 'merchant.categoryCode'],
      [{ merchant: undefined }, 'merchant'],
      // These two used to pass validation and fail later with a 500.
      [{ cvv: null }, 'cvv'],
      [{ merchant: [{ name: 'X', categoryCode: '5814', country: 'US' }] }, 'merchant'],
      [{ merchant: [] }, 'merchant'],
      [{ surprise: true }, 'surprise'],
    ];
    for (const [overrides, field] of cases) {
      const response = await network<NetworkError & { error: { details?: { fields?: object } } }>(
        '/authorizations',
        authorizationBody(issued, overrides),
      );
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expect(response.body.error.code).toBe('BAD_USER_INPUT');
      expect(Object.keys(response.body.error.details?.fields ?? {})).toContain(field);
    }
    const array = await network('/authorizations', [1, 2]);
    expect(array.status).toBe(400);
    const badCapture = await network<NetworkError>(`/authorizations/x/capture`, {
      amountMinor: -1,
    });
    expect(badCapture.status).toBe(400);
    const badReversal = await network<NetworkError>(`/authorizations/x/reversal`, {
      amountMinor: 1,
    });
    expect(badReversal.status).toBe(400);
    expect(await countRows('card_authorizations')).toBe(authorizations);
  });

  it('binds each signature to its path: a capture or reversal cannot be replayed on another authorization', async () => {
    const { walletId, issued } = await cardholder(5_000);
    const [first, second, third] = [
      await authorize(issued, { amountMinor: 1_000 }),
      await authorize(issued, { amountMinor: 1_000 }),
      await authorize(issued, { amountMinor: 1_000 }),
    ];
    const now = Math.floor(Date.now() / 1000);
    const path = (id: string, action: string) => `/authorizations/${id}/${action}`;

    // A reversal's body is {} whichever authorization it names.
    const reversal = networkSignatureHeader(
      NETWORK_SECRET,
      now,
      '{}',
      `/card-network${path(first.id, 'reversal')}`,
    );
    expect((await network(path(first.id, 'reversal'), {}, { header: reversal })).status).toBe(200);
    const replayedReversal = await network<NetworkError>(
      path(second.id, 'reversal'),
      {},
      { header: reversal },
    );
    expect(replayedReversal.status).toBe(401);
    expect(replayedReversal.body.error.reason).toBe('CARD_NETWORK_SIGNATURE_INVALID');

    // A capture's body names only the amount.
    const captureBody = JSON.stringify({ amountMinor: 1_000 });
    const captureHeader = networkSignatureHeader(
      NETWORK_SECRET,
      now,
      captureBody,
      `/card-network${path(second.id, 'capture')}`,
    );
    const captured = await network<Settlement>(path(second.id, 'capture'), null, {
      raw: captureBody,
      header: captureHeader,
    });
    expect(captured.body).toMatchObject({ status: 'CAPTURED', capturedMinor: 1_000 });
    const replayedCapture = await network<NetworkError>(path(third.id, 'capture'), null, {
      raw: captureBody,
      header: captureHeader,
    });
    expect(replayedCapture.status).toBe(401);
    // A signature over the body alone (no path) is refused.
    const bodyOnly = await network<NetworkError>(path(third.id, 'capture'), null, {
      raw: captureBody,
      header: networkSignatureHeader(NETWORK_SECRET, now, captureBody),
    });
    expect(bodyOnly.status).toBe(401);

    const statuses = Object.fromEntries(
      (await authorizationsOf(issued.card.id)).map((row) => [
        row.networkAuthorizationId,
        row.status,
      ]),
    );
    expect(statuses).toEqual({
      [first.id]: 'REVERSED',
      [second.id]: 'CAPTURED',
      [third.id]: 'APPROVED',
    });
    expect(await walletOf(walletId)).toMatchObject({ balanceMinor: 4_000, heldMinor: 1_000 });
  });

  it('checks a body only against the bytes that were sent; a bare reversal has none', async () => {
    const { walletId, issued } = await cardholder(5_000);
    const approved = await authorize(issued, { amountMinor: 500 });
    const path = `/authorizations/${approved.id}/reversal`;
    // A text/plain body keeps no raw bytes: it is refused, not checked as if it were empty.
    const plain = await network<NetworkError & { error: { details?: { fields?: object } } }>(
      path,
      null,
      {
        raw: '{}',
        contentType: 'text/plain',
        header: networkSignatureHeader(
          NETWORK_SECRET,
          Math.floor(Date.now() / 1000),
          '',
          `/card-network${path}`,
        ),
      },
    );
    expect(plain.status).toBe(400);
    expect(Object.keys(plain.body.error.details?.fields ?? {})).toEqual(['body']);
    expect((await walletOf(walletId)).heldMinor).toBe(500);
    // No body and no content type: signed over "<t>.<path>\n".
    const bare = await network<Settlement>(path, null, { raw: '', contentType: null });
    expect(bare.status).toBe(200);
    expect(bare.body).toMatchObject({ status: 'REVERSED', releasedMinor: 500 });
    expect((await walletOf(walletId)).heldMinor).toBe(0);
  });

  // ---- concurrency ----

  it('under concurrency: one decision per id whatever the bodies, the daily limit, one settlement each', async () => {
    const { walletId, issued } = await cardholder(20_000, { dailyLimitMinor: 5_000 });
    const ledger = t.app.get(LedgerService);

    // The same id with four different amounts at once: one is decided, the others conflict.
    const id = `auth_${randomUUID()}`;
    const racing = await Promise.all(
      [100, 200, 300, 400].map((amountMinor) =>
        network<Decision & NetworkError>(
          '/authorizations',
          authorizationBody(issued, { id, amountMinor }),
        ),
      ),
    );
    expect(racing.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409]);
    expect(racing.find((answer) => answer.status === 200)!.body.approved).toBe(true);
    for (const answer of racing.filter((one) => one.status === 409)) {
      expect(answer.body.error.reason).toBe('CARD_AUTHORIZATION_MISMATCH');
    }
    const [decided] = (await db.query(
      'SELECT amount_minor AS amount FROM card_authorizations WHERE network_authorization_id = ?',
      [id],
    )) as { amount: string }[];
    const decidedMinor = Number(decided!.amount);
    const holds = await holdsOf(walletId);
    expect(holds.map((hold) => [hold.reference, hold.amountMinor])).toEqual([
      [`card-auth:${id}`, decidedMinor],
    ]);

    // Ten approvals of 1 000 at once against what is left of a 5 000 daily limit.
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => authorize(issued, { amountMinor: 1_000 })),
    );
    const approved = burst.filter((answer) => answer.decision.approved);
    expect(approved.length).toBe(Math.floor((5_000 - decidedMinor) / 1_000));
    expect(
      burst
        .filter((answer) => !answer.decision.approved)
        .map((answer) => answer.decision.declineCode),
    ).toEqual(Array(10 - approved.length).fill('limit_exceeded'));
    expect((await walletOf(walletId)).heldMinor).toBe(decidedMinor + approved.length * 1_000);

    // A capture and a reversal of each approval at once: exactly one of them wins.
    const settled = await Promise.all(
      approved.map(async (answer) => {
        const [captured, reversed] = await Promise.all([
          capture(answer.id, 1_000),
          reverse(answer.id),
        ]);
        return { captured, reversed };
      }),
    );
    let capturedMinor = 0;
    for (const { captured, reversed } of settled) {
      expect([captured.status, reversed.status].sort()).toEqual([200, 409]);
      if (captured.status === 200) {
        capturedMinor += 1_000;
        expect(reversed.body.error.reason).toBe('CARD_AUTHORIZATION_NOT_REVERSIBLE');
      } else {
        expect(captured.body.error.reason).toBe('CARD_AUTHORIZATION_NOT_CAPTURABLE');
      }
    }
    expect(await walletOf(walletId)).toMatchObject({
      balanceMinor: 20_000 - capturedMinor,
      heldMinor: decidedMinor,
    });
    expect(
      await ledger.balanceOf({ kind: 'user_wallet', ownerId: walletId, currency: 'USD' }),
    ).toBe(20_000 - capturedMinor);
  });

  // ---- expiry ----

  it('reads an approval whose hold expired as EXPIRED and refuses to capture it', async () => {
    const { walletId, issued } = await cardholder(5_000);
    const { decision, id } = await authorize(issued, { amountMinor: 1_500 });
    expect(decision.approved).toBe(true);
    const [hold] = await holdsOf(walletId);
    await db.query('UPDATE wallet_holds SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [
      hold!.id,
    ]);
    // Even before the sweep runs, the approval reads EXPIRED and reserves nothing.
    expect((await authorizationsOf(issued.card.id))[0]!.status).toBe('EXPIRED');
    await until(async () => (await holdsOf(walletId))[0]!.status === 'EXPIRED');
    expect((await walletOf(walletId)).availableMinor).toBe(5_000);

    const refused = await capture(id, 1_500);
    expect(refused.status).toBe(409);
    expect(refused.body.error.reason).toBe('CARD_AUTHORIZATION_EXPIRED');
    // The refusal recorded the expiry on the row itself.
    const [row] = (await db.query(
      'SELECT status, settled_at FROM card_authorizations WHERE network_authorization_id = ?',
      [id],
    )) as { status: string; settled_at: Date | null }[];
    expect(row!.status).toBe('EXPIRED');
    expect(row!.settled_at).not.toBeNull();
    expect((await capture(id, 1_500)).status).toBe(409);
    // A reversal of it is harmless: nothing is held.
    expect((await reverse(id)).body).toMatchObject({ status: 'EXPIRED', capturedMinor: 0 });
    expect(
      await t.app
        .get(LedgerService)
        .balanceOf({ kind: 'user_wallet', ownerId: walletId, currency: 'USD' }),
    ).toBe(5_000);
  });

  it('pages a card’s authorizations newest first', async () => {
    const { issued } = await cardholder(5_000);
    const ids: string[] = [];
    for (let index = 0; index < 3; index++)
      ids.push((await authorize(issued, { amountMinor: 10 })).id);
    type Page = {
      cardAuthorizations: {
        edges: { node: { networkAuthorizationId: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const first = await t.gql.ok<Page>(
      AUTHORIZATIONS,
      { cardId: issued.card.id, first: 2 },
      admin.accessToken,
    );
    const rest = await t.gql.ok<Page>(
      AUTHORIZATIONS,
      { cardId: issued.card.id, first: 2, after: first.cardAuthorizations.pageInfo.endCursor },
      admin.accessToken,
    );
    expect(first.cardAuthorizations.pageInfo.hasNextPage).toBe(true);
    expect(rest.cardAuthorizations.pageInfo.hasNextPage).toBe(false);
    expect(
      [...first.cardAuthorizations.edges, ...rest.cardAuthorizations.edges].map(
        (edge) => edge.node.networkAuthorizationId,
      ),
    ).toEqual([...ids].reverse());
  });
});
