/** The environment every e2e worker runs with: its own database and Redis keyspace. */
export const MAX_TEST_WORKERS = 4;

export function workerIndex(): number {
  return Number(process.env.JEST_WORKER_ID ?? '1');
}

/**
 * `PAYRAIL_TEST_NS` (letters and digits) gives a run its own databases and Redis key prefix, so two
 * checkouts (or two people on one machine) can run the e2e suite at the same time.
 */
export function testNamespace(): string {
  const ns = process.env.PAYRAIL_TEST_NS ?? '';
  if (!/^[a-z0-9]*$/i.test(ns)) throw new Error('PAYRAIL_TEST_NS must be letters and digits');
  return ns ? `${ns.toLowerCase()}_` : '';
}

export function testDatabaseName(worker = workerIndex()): string {
  return `payrail_${testNamespace()}test_${worker}`;
}

export function testRedisPrefix(worker = workerIndex()): string {
  return testDatabaseName(worker);
}

export function applyTestEnvironment(): void {
  const worker = workerIndex();
  Object.assign(process.env, {
    APP_PROFILE: 'test',
    DB_TYPE: process.env.DB_TYPE ?? 'mariadb',
    DB_HOST: process.env.DB_HOST ?? '127.0.0.1',
    DB_NAME: testDatabaseName(worker),
    DB_POOL_SIZE: '10',
    REDIS_DB: String(worker % 16),
    REDIS_KEY_PREFIX: testRedisPrefix(worker),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Generous by default; the rate-limit spec lowers them for its own app.
    RATE_LIMIT: '100000',
    RATE_LIMIT_AUTH: '100000',
    PORT: '0',
  });
}
