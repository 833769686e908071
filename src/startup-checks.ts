import { createConnection } from 'mysql2/promise';
import Redis from 'ioredis';
import type { DatabaseConfig } from './config/database.config';
import type { RedisConfig } from './config/redis.config';

export class DependencyUnavailableError extends Error {}

/** Fails fast, with a message a newcomer can act on, when MySQL or Redis cannot be reached. */
export async function checkDependencies(
  database: DatabaseConfig,
  redis: RedisConfig,
): Promise<void> {
  const problems: string[] = [];
  try {
    const connection = await createConnection({
      host: database.host,
      port: database.port,
      user: database.username,
      password: database.password,
      connectTimeout: database.connectTimeoutMs,
    });
    await connection.end();
  } catch (error) {
    problems.push(
      `MySQL at ${database.host}:${database.port} is unreachable (${(error as { code?: string }).code ?? (error as Error).message}). ` +
        'Start it (here: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd; elsewhere: docker compose -f docker/compose.yml up -d mysql) or fix DB_HOST/DB_PORT/DB_USER/DB_PASSWORD.',
    );
  }
  const client = new Redis({
    host: redis.host,
    port: redis.port,
    password: redis.password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    problems.push(
      `Redis at ${redis.host}:${redis.port} is unreachable (${(error as Error).message}). ` +
        'Start it (here: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; elsewhere: docker compose -f docker/compose.yml up -d redis) or fix REDIS_HOST/REDIS_PORT.',
    );
  } finally {
    client.disconnect();
  }
  if (problems.length > 0) throw new DependencyUnavailableError(problems.join('\n'));
}
