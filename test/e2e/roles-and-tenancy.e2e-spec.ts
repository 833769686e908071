import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { IS_PUBLIC_KEY } from '../../src/common/auth/public.decorator';
import { ROLES_KEY } from '../../src/common/auth/roles.decorator';
import { Role } from '../../src/modules/users/role';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';
import { undescribed } from '../utils/schema-descriptions';

const RESOLVER_TYPE = 'graphql:resolver_type';
const RESOLVER_NAME = 'graphql:resolver_name';

describe('roles and tenancy (e2e)', () => {
  let t: TestApp;
  let users: Record<Role, TestUser>;
  let otherMerchant: TestUser;
  let otherCustomer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    users = {
      [Role.CUSTOMER]: await createUser(t, { role: Role.CUSTOMER }),
      [Role.MERCHANT]: await createUser(t, { role: Role.MERCHANT }),
      [Role.SUPPORT]: await createUser(t, { role: Role.SUPPORT }),
      [Role.ADMIN]: await createUser(t, { role: Role.ADMIN }),
    };
    otherMerchant = await createUser(t, { role: Role.MERCHANT });
    otherCustomer = await createUser(t);
  });
  afterAll(async () => t.close());

  it('walks the whole schema: every query, mutation and subscription declares roles or @Public()', () => {
    const declared = new Map<string, boolean>();
    const scanner = new MetadataScanner();
    const discovery = new DiscoveryService(t.app.get(ModulesContainer));
    for (const wrapper of discovery.getProviders()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[method] as object;
        const type = Reflect.getMetadata(RESOLVER_TYPE, handler) as string | undefined;
        if (!type || !['Query', 'Mutation', 'Subscription'].includes(type)) continue;
        const name = (Reflect.getMetadata(RESOLVER_NAME, handler) as string | undefined) ?? method;
        const isPublic =
          Reflect.getMetadata(IS_PUBLIC_KEY, handler) ??
          Reflect.getMetadata(IS_PUBLIC_KEY, instance.constructor);
        const roles = (Reflect.getMetadata(ROLES_KEY, handler) ??
          Reflect.getMetadata(ROLES_KEY, instance.constructor)) as Role[] | undefined;
        declared.set(`${type}.${name}`, Boolean(isPublic) || (roles?.length ?? 0) > 0);
      }
    }
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const operations = [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ].flatMap((root) =>
      root ? Object.keys(root.getFields()).map((field) => `${root.name}.${field}`) : [],
    );
    expect(operations.length).toBeGreaterThan(10);
    const undeclared = operations.filter((operation) => declared.get(operation) !== true);
    expect(undeclared).toEqual([]);
  });

  it('describes every type, field, argument and enum value of the schema', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    expect(undescribed(schema)).toEqual([]);
  });

  const matrix: Array<{
    name: string;
    query: string;
    allowed: Role[];
    variables?: () => Record<string, unknown>;
  }> = [
    {
      name: 'me',
      query: '{ me { id } }',
      allowed: [Role.CUSTOMER, Role.MERCHANT, Role.SUPPORT, Role.ADMIN],
    },
    {
      name: 'users',
      query: '{ users { edges { node { id } } } }',
      allowed: [Role.MERCHANT, Role.SUPPORT, Role.ADMIN],
    },
    {
      name: 'merchants',
      query: '{ merchants { edges { node { id } } } }',
      allowed: [Role.SUPPORT, Role.ADMIN],
    },
    { name: 'myMerchant', query: '{ myMerchant { id } }', allowed: [Role.MERCHANT] },
    { name: 'apiKeys', query: '{ apiKeys { edges { node { id } } } }', allowed: [Role.MERCHANT] },
    {
      name: 'createMerchant',
      query: 'mutation { createMerchant(input: { name: "Matrix Ltd" }) { id } }',
      allowed: [Role.ADMIN],
    },
    {
      name: 'suspendUser',
      query: 'mutation($id: ID!) { suspendUser(id: $id) { id } }',
      variables: () => ({ id: otherMerchant.id }),
      allowed: [Role.ADMIN],
    },
    {
      name: 'merchant',
      query: 'query($id: ID!) { merchant(id: $id) { id } }',
      variables: () => ({ id: users.MERCHANT.merchantId }),
      allowed: [Role.MERCHANT, Role.SUPPORT, Role.ADMIN],
    },
    {
      name: 'updateProfile',
      query: 'mutation { updateProfile(input: { name: "Renamed" }) { id } }',
      allowed: [Role.CUSTOMER, Role.MERCHANT, Role.SUPPORT, Role.ADMIN],
    },
    {
      name: 'createApiKey',
      query: 'mutation { createApiKey(input: { name: "matrix", scopes: [] }) { secret } }',
      allowed: [Role.MERCHANT],
    },
    {
      name: 'changeUserRole',
      query: 'mutation($input: ChangeUserRoleInput!) { changeUserRole(input: $input) { id } }',
      variables: () => ({ input: { userId: otherCustomer.id, role: Role.CUSTOMER } }),
      allowed: [Role.ADMIN],
    },
    {
      name: 'reactivateUser',
      query: 'mutation($id: ID!) { reactivateUser(id: $id) { id } }',
      variables: () => ({ id: otherMerchant.id }),
      allowed: [Role.ADMIN],
    },
  ];

  for (const operation of matrix) {
    for (const role of Object.values(Role)) {
      const allowed = operation.allowed.includes(role);
      it(`${allowed ? 'allows' : 'refuses'} ${role} on ${operation.name}`, async () => {
        const result = await t.gql.request(
          operation.query,
          operation.variables?.() ?? {},
          users[role].accessToken,
        );
        if (allowed) expect(result.errors).toBeUndefined();
        else expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      });
    }
    it(`refuses an anonymous caller on ${operation.name}`, async () => {
      expect(await t.gql.errorCode(operation.query, operation.variables?.() ?? {})).toBe(
        'UNAUTHENTICATED',
      );
    });
  }

  it('changes a role (admin) and the old access token stops working', async () => {
    const target = await createUser(t);
    const changed = await t.gql.ok<{ changeUserRole: { role: Role } }>(
      'mutation($input: ChangeUserRoleInput!) { changeUserRole(input: $input) { role } }',
      { input: { userId: target.id, role: Role.SUPPORT } },
      users.ADMIN.accessToken,
    );
    expect(changed.changeUserRole.role).toBe(Role.SUPPORT);
    expect(await t.gql.errorCode('{ me { id } }', {}, target.accessToken)).toBe('UNAUTHENTICATED');
  });

  it('suspends a user: sessions end and sign-in is refused', async () => {
    const target = await createUser(t);
    await t.gql.ok(
      'mutation($id: ID!) { suspendUser(id: $id) { status } }',
      { id: target.id },
      users.ADMIN.accessToken,
    );
    expect(await t.gql.errorCode('{ me { id } }', {}, target.accessToken)).toBe('UNAUTHENTICATED');
  });

  it('lists users with cursor pagination', async () => {
    const first = await t.gql.ok<{
      users: {
        edges: Array<{ cursor: string; node: { id: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(
      '{ users(first: 2) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
      {},
      users.ADMIN.accessToken,
    );
    expect(first.users.edges).toHaveLength(2);
    expect(first.users.pageInfo.hasNextPage).toBe(true);
    const second = await t.gql.ok<{ users: { edges: Array<{ node: { id: string } }> } }>(
      'query($after: String) { users(first: 2, after: $after) { edges { node { id } } } }',
      { after: first.users.pageInfo.endCursor },
      users.ADMIN.accessToken,
    );
    const seen = first.users.edges.map((edge) => edge.node.id);
    for (const edge of second.users.edges) expect(seen).not.toContain(edge.node.id);
    expect(
      await t.gql.errorCode(
        '{ users(after: "garbage") { edges { cursor } } }',
        {},
        users.ADMIN.accessToken,
      ),
    ).toBe('BAD_USER_INPUT');
  });

  describe('cross-merchant access', () => {
    it('refuses to show another merchant', async () => {
      const mine = await t.gql.request(
        'query($id: ID!) { merchant(id: $id) { id } }',
        { id: users.MERCHANT.merchantId },
        users.MERCHANT.accessToken,
      );
      expect(mine.errors).toBeUndefined();
      const theirs = await t.gql.request(
        'query($id: ID!) { merchant(id: $id) { id } }',
        { id: otherMerchant.merchantId },
        users.MERCHANT.accessToken,
      );
      expect(theirs.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('lists only its own members and hides other tenants’ users', async () => {
      const page = await t.gql.ok<{ users: { edges: Array<{ node: { merchantId: string } }> } }>(
        '{ users(first: 100) { edges { node { merchantId } } } }',
        {},
        users.MERCHANT.accessToken,
      );
      expect(
        page.users.edges.every((edge) => edge.node.merchantId === users.MERCHANT.merchantId),
      ).toBe(true);
      expect(
        await t.gql.errorCode(
          'query($id: ID!) { user(id: $id) { id } }',
          { id: otherMerchant.id },
          users.MERCHANT.accessToken,
        ),
      ).toBe('NOT_FOUND');
    });

    it('cannot revoke another merchant’s API key', async () => {
      const stranger = await createUser(t, { role: Role.MERCHANT });
      const created = await t.gql.ok<{ createApiKey: { apiKey: { id: string } } }>(
        'mutation { createApiKey(input: { name: "theirs", scopes: ["merchant:read"] }) { apiKey { id } } }',
        {},
        stranger.accessToken,
      );
      const result = await t.gql.request(
        'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
        { id: created.createApiKey.apiKey.id },
        users.MERCHANT.accessToken,
      );
      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });
});
