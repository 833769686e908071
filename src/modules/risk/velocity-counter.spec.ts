import type Redis from 'ioredis';
import { VelocityCounter, VelocityCounterUnavailableError } from './velocity-counter';

/** Just enough of a Redis sorted-set MULTI to exercise the counter without a server. */
class FakeSortedSets {
  readonly sets = new Map<string, Map<string, number>>();
  readonly ttls = new Map<string, number>();

  multi(): Record<string, unknown> {
    const ops: Array<() => unknown> = [];
    const chain = {
      zadd: (key: string, score: number, member: string) => {
        ops.push(() => {
          const set = this.sets.get(key) ?? new Map<string, number>();
          set.set(member, score);
          this.sets.set(key, set);
          return 1;
        });
        return chain;
      },
      zremrangebyscore: (key: string, _min: string, max: number) => {
        ops.push(() => {
          const set = this.sets.get(key);
          for (const [member, score] of set ?? []) if (score <= max) set!.delete(member);
          return 0;
        });
        return chain;
      },
      pexpire: (key: string, ms: number) => {
        ops.push(() => this.ttls.set(key, ms) && 1);
        return chain;
      },
      zcount: (key: string, min: string) => {
        const bound = Number(min.replace('(', ''));
        ops.push(() => [...(this.sets.get(key)?.values() ?? [])].filter((s) => s > bound).length);
        return chain;
      },
      exec: () => Promise.resolve(ops.map((op) => [null, op()])),
    };
    return chain;
  }
}

describe('VelocityCounter (sliding window)', () => {
  let now: number;
  let redis: FakeSortedSets;
  let counter: VelocityCounter;

  beforeEach(() => {
    now = 1_000_000;
    redis = new FakeSortedSets();
    counter = new VelocityCounter(redis as unknown as Redis, 1_000, () => now);
  });

  it('counts this attempt and earlier ones within each window', async () => {
    const request = [{ key: 'k', windowsSeconds: [60, 3600] }];
    expect(await counter.record('p1', request)).toEqual([[1, 1]]);
    now += 30_000;
    expect(await counter.record('p2', request)).toEqual([[2, 2]]);
    now += 45_000; // p1 is now 75 s old: out of the minute, still within the hour
    expect(await counter.record('p3', request)).toEqual([[2, 3]]);
    expect(redis.ttls.get('k')).toBe(3_600_000);
  });

  it('counts a re-assessed payment once', async () => {
    const request = [{ key: 'k', windowsSeconds: [60] }];
    await counter.record('p1', request);
    expect(await counter.record('p1', request)).toEqual([[1]]);
  });

  it('forgets attempts older than the longest window', async () => {
    await counter.record('p1', [{ key: 'k', windowsSeconds: [60] }]);
    now += 61_000;
    await counter.record('p2', [{ key: 'k', windowsSeconds: [60] }]);
    expect([...redis.sets.get('k')!.keys()]).toEqual(['p2']);
  });

  it('reports Redis errors and silence as unavailable', async () => {
    const chainOf = (exec: () => Promise<unknown>): Redis =>
      ({
        multi: () => {
          const chain = {
            zadd: () => chain,
            zremrangebyscore: () => chain,
            pexpire: () => chain,
            zcount: () => chain,
            exec,
          };
          return chain;
        },
      }) as unknown as Redis;
    const down = new VelocityCounter(
      chainOf(() => Promise.reject(new Error('Connection is closed.'))),
      50,
    );
    await expect(down.record('p', [{ key: 'k', windowsSeconds: [60] }])).rejects.toBeInstanceOf(
      VelocityCounterUnavailableError,
    );
    const silent = new VelocityCounter(
      chainOf(() => new Promise(() => undefined)),
      50,
    );
    await expect(silent.record('p', [{ key: 'k', windowsSeconds: [60] }])).rejects.toThrow(
      /no answer in 50 ms/,
    );
  });
});
