import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { REDIS_CLIENT } from '../../src/common/redis/redis.module';
import { systemActor } from '../../src/modules/audit/audit-actor';
import { AuditService } from '../../src/modules/audit/audit.service';
import type { AuditActor } from '../../src/modules/audit/audit.types';
import { RiskService } from '../../src/modules/risk/risk.service';
import type { RiskAssessmentInput } from '../../src/modules/risk/risk.types';
import { Role } from '../../src/modules/users/role';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';

/** Polls until `check` holds: no fixed sleeps. */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error('condition not met in time');
}

const RULE_FIELDS = `id merchantId type dimension maxCount windowSeconds currency maxAmountMinor
  minAmountMinor action enabled description`;

const CREATE_RULE = `mutation($input: CreateRiskRuleInput!) { createRiskRule(input: $input) { ${RULE_FIELDS} } }`;
const UPDATE_RULE = `mutation($input: UpdateRiskRuleInput!) { updateRiskRule(input: $input) { ${RULE_FIELDS} } }`;
const DELETE_RULE = `mutation($id: ID!) { deleteRiskRule(id: $id) { id } }`;
const RULES = `query($merchantId: ID) { riskRules(merchantId: $merchantId) { edges { node { ${RULE_FIELDS} } } } }`;
const ADD_BLOCK = `mutation($input: AddBlockListEntryInput!) {
  addBlockListEntry(input: $input) { id merchantId dimension hint reason createdBy }
}`;
const REMOVE_BLOCK = `mutation($id: ID!) { removeBlockListEntry(id: $id) { id } }`;
const BLOCK_LIST = `{ blockListEntries { edges { node { id dimension hint reason } } } }`;
const REVIEWS = `query($status: RiskReviewStatus) {
  riskReviews(status: $status) { edges { node { paymentId status reasons resolvedBy note } } }
}`;
const AUDIT_LOG = `query($objectType: String, $objectId: String, $actorId: String, $action: String, $from: DateTime) {
  auditLog(objectType: $objectType, objectId: $objectId, actorId: $actorId, action: $action, from: $from) {
    edges { node { action objectType objectId actorType actorId actorRole merchantId ip requestId details } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface RuleNode {
  id: string;
  merchantId: string | null;
  type: string;
  maxCount: number | null;
  maxAmountMinor: number | null;
  action: string;
  enabled: boolean;
}

interface AuditNode {
  action: string;
  objectType: string;
  objectId: string;
  actorType: string;
  actorId: string;
  actorRole: string | null;
  merchantId: string | null;
  ip: string | null;
  requestId: string | null;
  details: string | null;
}

// A fresh address per test: velocity counters live in Redis, which truncate() does not clear.
const freshIp = (): string =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe('risk rules, screening and the audit log (e2e)', () => {
  let t: TestApp;
  let risk: RiskService;
  let admin: TestUser;
  let support: TestUser;
  let merchant: TestUser;
  let otherMerchant: TestUser;
  let customer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    risk = t.app.get(RiskService);
    admin = await createUser(t, { role: Role.ADMIN });
    support = await createUser(t, { role: Role.SUPPORT });
    merchant = await createUser(t, { role: Role.MERCHANT });
    otherMerchant = await createUser(t, { role: Role.MERCHANT });
    customer = await createUser(t);
  });
  afterAll(async () => t.close());

  // Rules from one test must not leak into the next; users and merchants stay.
  afterEach(async () => {
    const dataSource = t.app.get(DataSource);
    await dataSource.query('DELETE FROM risk_rules');
    await dataSource.query('DELETE FROM block_list_entries');
  });

  const attempt = (overrides: Partial<RiskAssessmentInput> = {}): RiskAssessmentInput => ({
    paymentId: randomUUID(),
    merchantId: merchant.merchantId!,
    amount: { amountMinor: 5_000, currency: 'KES' },
    paymentMethod: 'card',
    ip: freshIp(),
    ...overrides,
  });

  const createRule = async (input: Record<string, unknown>): Promise<RuleNode> =>
    (
      await t.gql.ok<{ createRiskRule: RuleNode }>(
        CREATE_RULE,
        { input: { description: 'e2e rule', ...input } },
        admin.accessToken,
      )
    ).createRiskRule;

  const auditFor = async (variables: Record<string, unknown>): Promise<AuditNode[]> =>
    (
      await t.gql.ok<{ auditLog: { edges: Array<{ node: AuditNode }> } }>(
        AUDIT_LOG,
        variables,
        support.accessToken,
      )
    ).auditLog.edges.map((edge) => edge.node);

  it('lets an admin create, update and delete rules over GraphQL, each change audited newest first', async () => {
    const created = await t.gql.request<{ createRiskRule: RuleNode }>(
      CREATE_RULE,
      {
        input: {
          merchantId: merchant.merchantId,
          type: 'AMOUNT_LIMIT',
          currency: 'kes',
          maxAmountMinor: '5000000000',
          action: 'REVIEW',
          description: 'Large KES payments are checked by hand',
        },
      },
      admin.accessToken,
      { 'x-request-id': 'risk-e2e-create-rule' },
    );
    expect(created.errors).toBeUndefined();
    const rule = created.data!.createRiskRule;
    // Beyond GraphQL's 32-bit Int: SafeInt carries it whole.
    expect(rule).toMatchObject({ currency: 'KES', maxAmountMinor: 5_000_000_000, enabled: true });

    const updated = await t.gql.ok<{ updateRiskRule: RuleNode }>(
      UPDATE_RULE,
      { input: { id: rule.id, action: 'BLOCK', enabled: false } },
      admin.accessToken,
    );
    expect(updated.updateRiskRule).toMatchObject({ action: 'BLOCK', enabled: false });

    const listed = await t.gql.ok<{ riskRules: { edges: Array<{ node: RuleNode }> } }>(
      RULES,
      { merchantId: merchant.merchantId },
      support.accessToken,
    );
    expect(listed.riskRules.edges.map((edge) => edge.node.id)).toEqual([rule.id]);

    await t.gql.ok(DELETE_RULE, { id: rule.id }, admin.accessToken);
    expect(await t.gql.errorCode(DELETE_RULE, { id: rule.id }, admin.accessToken)).toBe(
      'NOT_FOUND',
    );

    const entries = await auditFor({ objectType: 'risk_rule', objectId: rule.id });
    expect(entries.map((entry) => entry.action)).toEqual([
      'risk.rule.delete',
      'risk.rule.update',
      'risk.rule.create',
    ]);
    const creation = entries[2];
    expect(creation).toMatchObject({
      actorType: 'user',
      actorId: admin.id,
      actorRole: 'ADMIN',
      merchantId: merchant.merchantId,
      requestId: 'risk-e2e-create-rule',
    });
    expect(creation.ip).toBeTruthy();
    expect(JSON.parse(creation.details!)).toMatchObject({
      rule: { type: 'AMOUNT_LIMIT', currency: 'KES', maxAmountMinor: 5_000_000_000 },
    });
    const update = JSON.parse(entries[1].details!) as Record<string, Record<string, unknown>>;
    expect(update.before.action).toBe('REVIEW');
    expect(update.after.action).toBe('BLOCK');

    const byActor = await auditFor({ actorId: admin.id, action: 'risk.rule.update' });
    expect(byActor).toHaveLength(1);
    expect(await auditFor({ objectId: rule.id, from: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it('names the offending fields when a rule is malformed', async () => {
    const missing = await t.gql.request(
      CREATE_RULE,
      { input: { type: 'VELOCITY', action: 'REVIEW', description: 'x', currency: 'USD' } },
      admin.accessToken,
    );
    expect(missing.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(missing.errors![0].extensions!.details!.fields as object).sort()).toEqual([
      'currency',
      'dimension',
      'maxCount',
      'windowSeconds',
    ]);

    const malformed = await t.gql.request(
      CREATE_RULE,
      {
        input: {
          type: 'VELOCITY',
          dimension: 'IP',
          maxCount: 0,
          windowSeconds: 60,
          action: 'REVIEW',
          description: 'x',
        },
      },
      admin.accessToken,
    );
    expect(malformed.errors?.[0].extensions?.details?.fields).toHaveProperty('maxCount');

    const unknownMerchant = await t.gql.request(
      CREATE_RULE,
      {
        input: {
          merchantId: randomUUID(),
          type: 'AMOUNT_LIMIT',
          currency: 'KES',
          maxAmountMinor: 1,
          action: 'BLOCK',
          description: 'x',
        },
      },
      admin.accessToken,
    );
    expect(unknownMerchant.errors?.[0].extensions?.reason).toBe('RISK_MERCHANT_NOT_FOUND');

    const rule = await createRule({
      type: 'VELOCITY',
      dimension: 'IP',
      maxCount: 3,
      windowSeconds: 60,
      action: 'REVIEW',
    });
    const cleared = await t.gql.request(
      UPDATE_RULE,
      { input: { id: rule.id, action: null, currency: 'USD' } },
      admin.accessToken,
    );
    expect(Object.keys(cleared.errors![0].extensions!.details!.fields as object).sort()).toEqual([
      'action',
      'currency',
    ]);

    const badEmail = await t.gql.request(
      ADD_BLOCK,
      { input: { dimension: 'EMAIL', value: 'not-an-email', reason: 'x' } },
      admin.accessToken,
    );
    expect(badEmail.errors?.[0].extensions?.details?.fields).toHaveProperty('value');
  });

  it('blocks a block-listed email whatever its case, keeping only a hash and a hint', async () => {
    const added = await t.gql.ok<{
      addBlockListEntry: { id: string; hint: string; createdBy: string };
    }>(
      ADD_BLOCK,
      { input: { dimension: 'EMAIL', value: '  Fraudster@Example.COM ', reason: 'chargebacks' } },
      admin.accessToken,
    );
    expect(added.addBlockListEntry).toMatchObject({ hint: '….com', createdBy: admin.id });

    expect(await risk.assess(attempt({ email: 'fraudster@example.com' }))).toEqual({
      action: 'block',
      reasons: ['BLOCK_LIST_EMAIL'],
    });
    expect(await risk.assess(attempt({ email: 'someone-else@example.com' }))).toEqual({
      action: 'allow',
    });

    // No raw value anywhere: not in the table, not in the audit log.
    const rows = (await t.app.get(DataSource).query('SELECT * FROM block_list_entries')) as Record<
      string,
      unknown
    >[];
    expect(JSON.stringify(rows).toLowerCase()).not.toContain('fraudster');
    const audit = await auditFor({ objectType: 'block_list_entry' });
    expect(audit.map((entry) => entry.action)).toEqual(['risk.block_list.add']);
    expect(JSON.stringify(audit).toLowerCase()).not.toContain('fraudster');

    expect(
      await t.gql.errorCode(
        ADD_BLOCK,
        { input: { dimension: 'EMAIL', value: 'FRAUDSTER@example.com', reason: 'again' } },
        admin.accessToken,
      ),
    ).toBe('CONFLICT');
    const listed = await t.gql.ok<{ blockListEntries: { edges: unknown[] } }>(
      BLOCK_LIST,
      {},
      support.accessToken,
    );
    expect(listed.blockListEntries.edges).toHaveLength(1);

    await t.gql.ok(REMOVE_BLOCK, { id: added.addBlockListEntry.id }, admin.accessToken);
    expect(await risk.assess(attempt({ email: 'fraudster@example.com' }))).toEqual({
      action: 'allow',
    });
    expect((await auditFor({ objectType: 'block_list_entry' }))[0].action).toBe(
      'risk.block_list.remove',
    );
  });

  it('reviews the 4th attempt from one IP within the window when a VELOCITY rule allows 3', async () => {
    await createRule({
      type: 'VELOCITY',
      dimension: 'IP',
      maxCount: 3,
      windowSeconds: 600,
      action: 'REVIEW',
    });
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      expect(await risk.assess(attempt({ ip }))).toEqual({ action: 'allow' });
    }
    expect(await risk.assess(attempt({ ip }))).toEqual({
      action: 'review',
      reasons: ['VELOCITY_IP_EXCEEDED'],
    });
    // Another address is unaffected; a platform rule counts across merchants.
    expect(await risk.assess(attempt({ ip: freshIp() }))).toEqual({ action: 'allow' });
    expect(await risk.assess(attempt({ ip, merchantId: otherMerchant.merchantId! }))).toMatchObject(
      { action: 'review' },
    );
  });

  it('blocks an amount over the limit for its currency, and BLOCK beats REVIEW', async () => {
    await createRule({
      type: 'AMOUNT_LIMIT',
      currency: 'KES',
      maxAmountMinor: 100_000,
      action: 'BLOCK',
    });
    await createRule({
      type: 'VELOCITY',
      dimension: 'EMAIL',
      maxCount: 1,
      windowSeconds: 600,
      action: 'REVIEW',
    });
    const email = `${randomUUID()}@example.test`;
    expect(
      await risk.assess(attempt({ amount: { amountMinor: 100_000, currency: 'KES' } })),
    ).toEqual({ action: 'allow' });
    expect(
      await risk.assess(attempt({ amount: { amountMinor: 100_001, currency: 'USD' } })),
    ).toEqual({ action: 'allow' });
    await risk.assess(attempt({ email }));
    expect(
      await risk.assess(attempt({ email, amount: { amountMinor: 100_001, currency: 'KES' } })),
    ).toEqual({ action: 'block', reasons: ['AMOUNT_LIMIT_EXCEEDED', 'VELOCITY_EMAIL_EXCEEDED'] });
  });

  it('applies a merchant’s own rule to that merchant only', async () => {
    const rule = await createRule({
      merchantId: merchant.merchantId,
      type: 'AMOUNT_LIMIT',
      currency: 'KES',
      maxAmountMinor: 1_000,
      action: 'REVIEW',
    });
    expect(rule.merchantId).toBe(merchant.merchantId);
    const big = { amountMinor: 50_000, currency: 'KES' };
    expect(await risk.assess(attempt({ amount: big }))).toEqual({
      action: 'review',
      reasons: ['AMOUNT_LIMIT_EXCEEDED'],
    });
    expect(
      await risk.assess(attempt({ amount: big, merchantId: otherMerchant.merchantId! })),
    ).toEqual({ action: 'allow' });

    // A merchant's velocity rule counts only that merchant's attempts.
    await createRule({
      merchantId: otherMerchant.merchantId,
      type: 'VELOCITY',
      dimension: 'CARD_FINGERPRINT',
      maxCount: 1,
      windowSeconds: 600,
      action: 'BLOCK',
    });
    const cardFingerprint = `fp_${randomUUID()}`;
    await risk.assess(attempt({ cardFingerprint }));
    await risk.assess(attempt({ cardFingerprint }));
    expect(
      await risk.assess(attempt({ cardFingerprint, merchantId: otherMerchant.merchantId! })),
    ).toEqual({ action: 'allow' });
    expect(
      await risk.assess(attempt({ cardFingerprint, merchantId: otherMerchant.merchantId! })),
    ).toEqual({ action: 'block', reasons: ['VELOCITY_CARD_FINGERPRINT_EXCEEDED'] });
  });

  it('fails safe to review when Redis is unreachable, and recovers when it returns', async () => {
    await createRule({
      type: 'VELOCITY',
      dimension: 'IP',
      maxCount: 100,
      windowSeconds: 60,
      action: 'BLOCK',
    });
    const redis = t.app.get<Redis>(REDIS_CLIENT);
    redis.disconnect();
    await until(() => redis.status === 'end');
    try {
      expect(await risk.assess(attempt())).toEqual({
        action: 'review',
        reasons: ['RISK_UNAVAILABLE'],
      });
    } finally {
      await redis.connect();
      await until(() => redis.status === 'ready');
    }
    expect(await risk.assess(attempt())).toEqual({ action: 'allow' });
  });

  it('opens a review in the caller’s transaction and resolves it once', async () => {
    const dataSource = t.app.get(DataSource);
    const paymentId = randomUUID();
    const opened = await dataSource.transaction((manager) =>
      risk.openReview(manager, {
        paymentId,
        merchantId: merchant.merchantId!,
        reasons: ['VELOCITY_IP_EXCEEDED'],
      }),
    );
    expect(opened.status).toBe('OPEN');
    // Opening again (a retried request) returns the same review.
    const again = await dataSource.transaction((manager) =>
      risk.openReview(manager, { paymentId, merchantId: merchant.merchantId!, reasons: [] }),
    );
    expect(again.id).toBe(opened.id);

    // A review opened in a transaction that rolls back leaves nothing behind.
    const rolledBack = randomUUID();
    await expect(
      dataSource.transaction(async (manager) => {
        await risk.openReview(manager, {
          paymentId: rolledBack,
          merchantId: merchant.merchantId!,
          reasons: ['AMOUNT_LIMIT_EXCEEDED'],
        });
        throw new Error('payment failed');
      }),
    ).rejects.toThrow('payment failed');
    expect(await risk.findReview(rolledBack)).toBeNull();

    const open = await t.gql.ok<{
      riskReviews: { edges: Array<{ node: { paymentId: string; reasons: string[] } }> };
    }>(REVIEWS, { status: 'OPEN' }, support.accessToken);
    expect(open.riskReviews.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ paymentId, reasons: ['VELOCITY_IP_EXCEEDED'] }),
    ]);

    const actor: AuditActor = {
      type: 'user',
      id: admin.id,
      role: 'ADMIN',
      requestId: 'req-resolve',
    };
    const resolved = await risk.resolveReview(paymentId, 'approve', actor, ' looks fine ');
    expect(resolved).toMatchObject({
      status: 'APPROVED',
      resolvedBy: admin.id,
      note: 'looks fine',
    });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);

    await expect(risk.resolveReview(paymentId, 'reject', actor)).rejects.toMatchObject({
      code: 'RISK_REVIEW_ALREADY_RESOLVED',
      kind: 'conflict',
    });
    await expect(risk.resolveReview(randomUUID(), 'approve', actor)).rejects.toMatchObject({
      code: 'RISK_REVIEW_NOT_FOUND',
      kind: 'not_found',
    });

    const history = await auditFor({ objectType: 'payment', objectId: paymentId });
    expect(history.map((entry) => [entry.action, entry.actorType, entry.actorId])).toEqual([
      ['risk.review.approve', 'user', admin.id],
      ['risk.review.open', 'system', 'risk-engine'],
    ]);
    const approved = await t.gql.ok<{ riskReviews: { edges: Array<{ node: unknown }> } }>(
      REVIEWS,
      { status: 'APPROVED' },
      admin.accessToken,
    );
    expect(approved.riskReviews.edges).toEqual([
      { node: expect.objectContaining({ paymentId, status: 'APPROVED', resolvedBy: admin.id }) },
    ]);
  });

  it('enforces the role matrix: staff read, only admins write', async () => {
    const ruleInput = {
      input: {
        type: 'AMOUNT_LIMIT',
        currency: 'KES',
        maxAmountMinor: 1,
        action: 'BLOCK',
        description: 'x',
      },
    };
    const blockInput = { input: { dimension: 'IP', value: '192.0.2.1', reason: 'x' } };
    for (const caller of [customer, merchant]) {
      for (const [query, variables] of [
        [RULES, {}],
        [BLOCK_LIST, {}],
        [REVIEWS, {}],
        [AUDIT_LOG, {}],
        [CREATE_RULE, ruleInput],
        [ADD_BLOCK, blockInput],
        [DELETE_RULE, { id: randomUUID() }],
        [REMOVE_BLOCK, { id: randomUUID() }],
      ] as const) {
        expect(await t.gql.errorCode(query, variables, caller.accessToken)).toBe('FORBIDDEN');
      }
    }
    for (const query of [RULES, BLOCK_LIST, REVIEWS, AUDIT_LOG]) {
      await t.gql.ok(query, {}, support.accessToken);
    }
    expect(await t.gql.errorCode(CREATE_RULE, ruleInput, support.accessToken)).toBe('FORBIDDEN');
    expect(await t.gql.errorCode(ADD_BLOCK, blockInput, support.accessToken)).toBe('FORBIDDEN');
    expect(
      await t.gql.errorCode(
        UPDATE_RULE,
        { input: { id: randomUUID(), enabled: false } },
        support.accessToken,
      ),
    ).toBe('FORBIDDEN');
    expect(await t.gql.errorCode(RULES, {})).toBe('UNAUTHENTICATED');
  });

  // Last: truncate() empties every table, users included.
  it('refuses UPDATE and DELETE of audit rows in plain SQL, yet the test truncate still empties it', async () => {
    const dataSource = t.app.get(DataSource);
    await createRule({
      type: 'AMOUNT_LIMIT',
      currency: 'KES',
      maxAmountMinor: 1,
      action: 'BLOCK',
    });
    const count = async (): Promise<number> =>
      Number(
        ((await dataSource.query('SELECT COUNT(*) AS n FROM audit_log')) as [{ n: string }])[0].n,
      );
    expect(await count()).toBeGreaterThan(0);
    await expect(dataSource.query(`UPDATE audit_log SET action = 'tampered'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(dataSource.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect(
      (await dataSource.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'tampered'`)) as [
        { n: string },
      ],
    ).toEqual([{ n: '0' }]);

    await t.truncate();
    expect(await count()).toBe(0);
    // The purge permission did not leak into the app's pool: concurrent deletes (one connection
    // each) are all still refused.
    await t.app.get(AuditService).record(null, {
      actor: systemActor('e2e'),
      action: 'test.row',
      objectType: 'test',
      objectId: '1',
    });
    const deletes = await Promise.allSettled(
      Array.from({ length: 8 }, () => dataSource.query('DELETE FROM audit_log')),
    );
    expect(deletes.every((result) => result.status === 'rejected')).toBe(true);
    expect(await count()).toBe(1);
    await t.truncate();
  });
});
