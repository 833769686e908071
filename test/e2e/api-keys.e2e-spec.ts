import { Role } from '../../src/modules/users/role';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';

const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id prefix scopes lastUsedAt revokedAt } }
}`;

describe('merchant API keys (e2e)', () => {
  let t: TestApp;
  let merchant: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    merchant = await createUser(t, { role: Role.MERCHANT });
  });
  afterAll(async () => t.close());

  const create = async (
    scopes: string[],
  ): Promise<{ secret: string; id: string; prefix: string }> => {
    const data = await t.gql.ok<{
      createApiKey: { secret: string; apiKey: { id: string; prefix: string } };
    }>(CREATE, { input: { name: 'server', scopes } }, merchant.accessToken);
    return { secret: data.createApiKey.secret, ...data.createApiKey.apiKey };
  };

  it('creates a key shown once, authenticates with it, and records its use', async () => {
    const key = await create(['merchant:read']);
    expect(key.secret.startsWith(`${key.prefix}_`)).toBe(true);
    const viaKey = await t.gql.ok<{ myMerchant: { id: string } }>(
      '{ myMerchant { id } }',
      {},
      key.secret,
    );
    expect(viaKey.myMerchant.id).toBe(merchant.merchantId);
    const listed = await t.gql.ok<{ apiKeys: { edges: Array<{ node: Record<string, unknown> }> } }>(
      '{ apiKeys { edges { node { id lastUsedAt } } } }',
      {},
      merchant.accessToken,
    );
    const node = listed.apiKeys.edges.find((edge) => edge.node.id === key.id)!.node;
    expect(node.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(key.secret);
  });

  it('enforces scopes and refuses session-only operations to keys', async () => {
    const key = await create(['orders:read']);
    expect(await t.gql.errorCode('{ myMerchant { id } }', {}, key.secret)).toBe('FORBIDDEN');
    expect(await t.gql.errorCode(CREATE, { input: { name: 'x', scopes: [] } }, key.secret)).toBe(
      'FORBIDDEN',
    );
  });

  it('revokes a key at once', async () => {
    const key = await create(['merchant:read']);
    await t.gql.ok(
      'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
      { id: key.id },
      merchant.accessToken,
    );
    expect(await t.gql.errorCode('{ myMerchant { id } }', {}, key.secret)).toBe('UNAUTHENTICATED');
  });

  it('refuses forged, malformed and unknown-scope keys', async () => {
    const key = await create(['merchant:read']);
    const forged = `${key.secret.slice(0, -4)}AAAA`;
    expect(await t.gql.errorCode('{ myMerchant { id } }', {}, forged)).toBe('UNAUTHENTICATED');
    expect(await t.gql.errorCode('{ myMerchant { id } }', {}, 'prk_nonsense')).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      await t.gql.errorCode(
        CREATE,
        { input: { name: 'x', scopes: ['everything'] } },
        merchant.accessToken,
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('refuses key management to non-merchants', async () => {
    const customer = await createUser(t);
    expect(
      await t.gql.errorCode(CREATE, { input: { name: 'x', scopes: [] } }, customer.accessToken),
    ).toBe('FORBIDDEN');
  });
});
