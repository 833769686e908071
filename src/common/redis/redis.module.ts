import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import Redis from 'ioredis';
import { redisConfig } from '../../config/redis.config';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

export function createRedisClient(config: ConfigType<typeof redisConfig>): Redis {
  return new Redis({
    host: config.host,
    port: config.port,
    password: config.password,
    db: config.db,
    // Fail commands fast while Redis is down instead of queueing them forever; reconnect on its own.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 3_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: true,
  });
}

/** One shared ioredis connection for rate limits and readiness (Bull opens its own). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [redisConfig.KEY],
      useFactory: async (config: ConfigType<typeof redisConfig>) => {
        const client = createRedisClient(config);
        client.on('error', () => undefined); // reported by readiness and by failing requests
        await client.connect().catch(() => undefined);
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
