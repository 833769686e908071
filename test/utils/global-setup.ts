import 'reflect-metadata';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../../src/config/database.config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { MAX_TEST_WORKERS, testDatabaseName, testRedisPrefix } from './test-env';

/** Fresh databases, one per jest worker, migrated from zero; fresh Redis keyspaces. */
export default async function globalSetup(): Promise<void> {
  const base = readDatabaseConfig({ ...process.env, DB_TYPE: process.env.DB_TYPE ?? 'mariadb' });
  const admin = await createConnection({
    host: base.host,
    port: base.port,
    user: base.username,
    password: base.password,
  });
  try {
    for (let worker = 1; worker <= MAX_TEST_WORKERS; worker++) {
      const name = testDatabaseName(worker);
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.query(
        `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
      const dataSource = new DataSource({
        ...buildDataSourceOptions({ ...base, database: name }),
        logging: false,
      });
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.destroy();
    }
  } finally {
    await admin.end();
  }
  const redis = new Redis({
    host: process.env.REDIS_HOST ?? '127.0.0.1',
    port: Number(process.env.REDIS_PORT ?? 6379),
    lazyConnect: true,
  });
  await redis.connect();
  // Only this run's keys: another namespace may be using the same Redis database.
  for (let worker = 1; worker <= MAX_TEST_WORKERS; worker++) {
    await redis.select(worker % 16);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${testRedisPrefix(worker)}:*`,
        'COUNT',
        1000,
      );
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  redis.disconnect();
}
