import 'reflect-metadata';
import Redis from 'ioredis';
import { deleteKeysWithPrefix } from '../../src/common/redis/delete-keys';
import { readDatabaseConfig } from '../../src/config/database.config';
import { recreateDatabase } from '../../src/database/recreate-database';
import { MAX_TEST_WORKERS, testDatabaseName, testRedisPrefix } from './test-env';

/** Fresh databases, one per jest worker, migrated from zero; fresh Redis keyspaces. */
export default async function globalSetup(): Promise<void> {
  const base = readDatabaseConfig({ ...process.env, DB_TYPE: process.env.DB_TYPE ?? 'mariadb' });
  for (let worker = 1; worker <= MAX_TEST_WORKERS; worker++) {
    await recreateDatabase(base, testDatabaseName(worker));
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
    await deleteKeysWithPrefix(redis, testRedisPrefix(worker));
  }
  redis.disconnect();
}
