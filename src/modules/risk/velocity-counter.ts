import type Redis from 'ioredis';

/** One counter to bump: a Redis key and the windows to count over. */
export interface VelocityCounterRequest {
  readonly key: string;
  readonly windowsSeconds: readonly number[];
}

/** Redis answered too slowly or not at all. */
export class VelocityCounterUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `Velocity counters unavailable: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'VelocityCounterUnavailableError';
  }
}

/**
 * Sliding-window counters, one sorted set per key: each attempt is a member (its payment id)
 * scored by its time in ms. Recording trims entries older than the longest window and counts the
 * members within each window, all in one MULTI (atomic, one round trip). A sliding window has no
 * boundary burst: a fixed window would let 2x the limit through around a window edge.
 * Using the payment id as the member makes re-assessing the same payment count once.
 */
export class VelocityCounter {
  constructor(
    private readonly redis: Pick<Redis, 'multi'>,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records `member` in every key and returns, per request, the count within each window. */
  async record(member: string, requests: readonly VelocityCounterRequest[]): Promise<number[][]> {
    if (requests.length === 0) return [];
    const now = this.now();
    const multi = this.redis.multi();
    for (const request of requests) {
      const longestMs = Math.max(...request.windowsSeconds) * 1000;
      multi.zadd(request.key, now, member);
      multi.zremrangebyscore(request.key, '-inf', now - longestMs);
      multi.pexpire(request.key, longestMs);
      // Exclusive lower bound: an attempt exactly one window old has left the window.
      for (const seconds of request.windowsSeconds)
        multi.zcount(request.key, `(${now - seconds * 1000}`, '+inf');
    }
    const results = await this.withTimeout(multi.exec());
    if (!results) throw new VelocityCounterUnavailableError('transaction aborted');
    const failed = results.find(([error]) => error);
    if (failed) throw new VelocityCounterUnavailableError(failed[0]);
    const counts: number[][] = [];
    let index = 0;
    for (const request of requests) {
      index += 3; // zadd, zremrangebyscore, pexpire
      const row: number[] = [];
      for (let window = 0; window < request.windowsSeconds.length; window++) {
        row.push(Number(results[index++][1]));
      }
      counts.push(row);
    }
    return counts;
  }

  private async withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new VelocityCounterUnavailableError(`no answer in ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      throw error instanceof VelocityCounterUnavailableError
        ? error
        : new VelocityCounterUnavailableError(error);
    } finally {
      clearTimeout(timer);
    }
  }
}
