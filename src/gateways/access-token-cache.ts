/** A bearer token as the gateway issued it. */
export interface IssuedToken {
  readonly value: string;
  readonly expiresInSeconds: number;
}

/**
 * The OAuth client-credentials token cache both M-Pesa and PayPal need: one fetch in flight however
 * many calls want a token, refreshed `marginMs` before expiry (at half-life for short-lived tokens),
 * and dropped on demand when the gateway says it is no longer valid.
 */
export class AccessTokenCache {
  private token?: { value: string; refreshAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly marginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.pending ??= this.refresh().finally(() => (this.pending = undefined));
    return this.pending;
  }

  invalidate(): void {
    this.token = undefined;
  }

  private async refresh(): Promise<string> {
    const issued = await this.fetchToken();
    const lifetimeMs = issued.expiresInSeconds * 1000;
    const margin = Math.min(this.marginMs, lifetimeMs / 2);
    this.token = { value: issued.value, refreshAt: this.now() + lifetimeMs - margin };
    return issued.value;
  }
}
