import { createUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';

const post = (url: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('API rails: errors, limits, health, metrics (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('answers malformed GraphQL with BAD_USER_INPUT, not a 500', async () => {
    const response = await post(t.url, JSON.stringify({ query: '{ me { id ' }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      errors: Array<{ extensions: { code: string; requestId?: string } }>;
    };
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].extensions.requestId).toBeTruthy();
  });

  it('answers a body that is not JSON with a clean 400', async () => {
    const response = await post(t.url, '{"query": ');
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers wrong argument types with BAD_USER_INPUT', async () => {
    const result = await t.gql.request('query($id: ID!) { user(id: $id) { id } }', {
      id: { nested: true },
    });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const user = await createUser(t);
    const notUuid = await t.gql.request(
      'query($id: ID!) { user(id: $id) { id } }',
      { id: 'not-a-uuid' },
      user.accessToken,
    );
    expect(notUuid.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badFirst = await t.gql.request(
      '{ users(first: 5000) { edges { cursor } } }',
      {},
      user.accessToken,
    );
    expect(['BAD_USER_INPUT', 'FORBIDDEN']).toContain(badFirst.errors?.[0].extensions?.code);
  });

  it('refuses too many aliases and too costly queries before running them', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ');
    const aliased = await t.gql.request(`{ ${aliases} }`);
    expect(aliased.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(aliased.errors?.[0].extensions?.reason).toBe('TOO_MANY_ALIASES');
  });

  it('refuses batches above the limit', async () => {
    const batch = JSON.stringify(Array.from({ length: 10 }, () => ({ query: '{ __typename }' })));
    const response = await post(t.url, batch);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ extensions: { reason: string } }> };
    expect(body.errors[0].extensions.reason).toBe('BATCH_TOO_LARGE');
    const small = await post(
      t.url,
      JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    );
    expect(small.status).toBe(200);
  });

  it('refuses an oversized body with 413, not a crash', async () => {
    const response = await post(
      t.url,
      JSON.stringify({ query: `{ __typename } # ${'x'.repeat(2 * 1024 * 1024)}` }),
    );
    expect(response.status).toBe(413);
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(200);
  });

  it('never leaks internals: unknown REST routes answer a clean 404 JSON with a request id', async () => {
    const response = await fetch(`${t.url}/nope`, {
      headers: { 'x-request-id': 'req-abcdef123456' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('req-abcdef123456');
  });

  it('serves liveness, readiness and Prometheus metrics', async () => {
    expect(await (await fetch(`${t.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(
      ((await ready.json()) as { checks: Record<string, { status: string }> }).checks.database
        .status,
    ).toBe('up');
    await t.gql.request('query Ping { __typename }');
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('payrail_http_request_duration_seconds_bucket');
    expect(metrics).toMatch(
      /payrail_graphql_operation_duration_seconds_count\{operation="Ping"\} \d+/,
    );
    expect(metrics).toContain('payrail_errors_total');
  });

  it('sets security headers', async () => {
    const response = await fetch(`${t.url}/health`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBeTruthy();
  });
});

describe('query depth and cost limits (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_COST: '10' });
  });
  afterAll(async () => t.close());

  it('refuses a query deeper or costlier than the limits before running it', async () => {
    const result = await t.gql.request('{ users { edges { node { id } } } }');
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.reason).toBe('QUERY_TOO_DEEP');
    const viaFragment = await t.gql.request(
      '{ ...Deep } fragment Deep on Query { users { edges { node { id } } } }',
    );
    expect(viaFragment.errors?.[0].extensions?.reason).toBe('QUERY_TOO_DEEP');
    const costly = await t.gql.request(
      '{ me { id email name phone role status createdAt merchantId } a: me { id email } }',
    );
    expect(costly.errors?.[0].extensions?.reason).toBe('QUERY_TOO_COSTLY');
    const shallow = await t.gql.request('{ me { id } }');
    expect(shallow.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('rate limits (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Its own key prefix: budgets spent by other specs in this worker must not count here.
    t = await createTestApp({
      RATE_LIMIT_AUTH: '3',
      RATE_LIMIT: '1000',
      REDIS_KEY_PREFIX: `rate-limit-${Date.now()}`,
    });
  });
  afterAll(async () => t.close());

  it('answers RATE_LIMITED with Retry-After once the budget is spent', async () => {
    const query = 'mutation($input: LogInInput!) { logIn(input: $input) { user { id } } }';
    const variables = { input: { email: 'nobody@example.test', password: 'whatever-password' } };
    const codes: string[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const result = await t.gql.request(query, variables);
      codes.push(String(result.errors?.[0].extensions?.code));
      retryAfter ??= result.headers.get('retry-after');
    }
    expect(codes.slice(0, 3)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(codes.slice(3)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
