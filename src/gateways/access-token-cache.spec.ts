import { AccessTokenCache } from './access-token-cache';

describe('AccessTokenCache', () => {
  it('fetches once for concurrent callers and refreshes before expiry', async () => {
    let now = 0;
    let fetches = 0;
    const cache = new AccessTokenCache(
      async () => ({ value: `token-${++fetches}`, expiresInSeconds: 3600 }),
      300_000,
      () => now,
    );
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual([
      'token-1',
      'token-1',
      'token-1',
    ]);
    now = 3_299_000;
    expect(await cache.get()).toBe('token-1');
    now = 3_300_000;
    expect(await cache.get()).toBe('token-2');
    cache.invalidate();
    expect(await cache.get()).toBe('token-3');
  });

  it('refreshes short-lived tokens at half-life and retries after a failed fetch', async () => {
    let now = 0;
    let calls = 0;
    const cache = new AccessTokenCache(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('down');
        return { value: `t${calls}`, expiresInSeconds: 60 };
      },
      300_000,
      () => now,
    );
    await expect(cache.get()).rejects.toThrow('down');
    expect(await cache.get()).toBe('t2');
    now = 30_000;
    expect(await cache.get()).toBe('t3');
  });
});
