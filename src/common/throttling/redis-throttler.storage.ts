import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { dependencyUnavailable } from '../errors/common.errors';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

// Fixed window per key: INCR, start the window on the first hit, read what is left of it.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { hits, ttl }
`;

/** Rate-limit counters in Redis, so every instance of the API shares one budget per client. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    let result: [number, number];
    try {
      result = (await this.redis.eval(
        INCREMENT,
        1,
        `${this.prefix}:throttle:${throttlerName}:${key}`,
        ttl,
      )) as [number, number];
    } catch {
      throw dependencyUnavailable('Rate limiting (Redis)');
    }
    const [totalHits, timeToExpireMs] = result;
    const timeToExpire = Math.ceil(timeToExpireMs / 1000);
    const isBlocked = totalHits > limit;
    return { totalHits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }
}
