import { setTimeout as sleep } from 'node:timers/promises';
import { createUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';
import { TcpProxy } from '../utils/tcp-proxy';

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error('condition not met in time');
}

describe('dependency outages while running (e2e)', () => {
  const mysql = new TcpProxy('127.0.0.1', 3306);
  const redis = new TcpProxy('127.0.0.1', 6379);
  let t: TestApp;

  beforeAll(async () => {
    await mysql.start();
    await redis.start();
    t = await createTestApp({ DB_PORT: String(mysql.port), REDIS_PORT: String(redis.port) });
  });
  afterAll(async () => {
    await t.close();
    await mysql.cut();
    await redis.cut();
  });

  const readiness = async (): Promise<{
    status: number;
    body: { checks: Record<string, { status: string }> };
  }> => {
    const response = await fetch(`${t.url}/health/ready`);
    return {
      status: response.status,
      body: (await response.json()) as { checks: Record<string, { status: string }> },
    };
  };

  it('reports MySQL down in readiness, answers requests with a clean error, and recovers by itself', async () => {
    const user = await createUser(t);
    await mysql.cut();
    await until(async () => (await readiness()).status === 503);
    expect((await readiness()).body.checks.database.status).toBe('down');
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    const during = await t.gql.request('{ me { id } }', {}, user.accessToken);
    expect(during.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    await mysql.restore();
    await until(async () => (await readiness()).status === 200);
    await until(async () => !(await t.gql.request('{ me { id } }', {}, user.accessToken)).errors);
  });

  it('reports Redis down in readiness, answers requests with a clean error, and recovers by itself', async () => {
    const user = await createUser(t);
    await redis.cut();
    await until(async () => (await readiness()).status === 503);
    expect((await readiness()).body.checks.redis.status).toBe('down');
    const during = await t.gql.request('{ me { id } }', {}, user.accessToken);
    expect(during.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    await redis.restore();
    await until(async () => (await readiness()).status === 200);
    await until(async () => !(await t.gql.request('{ me { id } }', {}, user.accessToken)).errors);
  });
});
