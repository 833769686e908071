import { registerAs } from '@nestjs/config';
import { int } from './profile';

export interface RedisConfig {
  readonly host: string;
  readonly port: number;
  readonly password?: string;
  readonly db: number;
  /** Prefix of every key we write (queues, rate limits), so environments can share one Redis. */
  readonly keyPrefix: string;
}

export const redisConfig = registerAs('redis', (): RedisConfig => ({
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: int(process.env.REDIS_PORT, 6379),
  password: process.env.REDIS_PASSWORD || undefined,
  db: int(process.env.REDIS_DB, 0),
  keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'payrail',
}));
