import { ConfigValidationError, validateEnvironment } from '../../config/env.validation';
import { readCardsConfig } from './cards.config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    validateEnvironment(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
};

describe('cards config', () => {
  it('has development defaults outside production', () => {
    const config = readCardsConfig({ APP_PROFILE: 'test' });
    expect(config).toMatchObject({
      bin: '489999',
      validityMonths: 36,
      maxActivePerWallet: 5,
      authorizationHoldHours: 168,
      networkToleranceSeconds: 300,
    });
    expect(config.networkSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.cvvKey.length).toBeGreaterThanOrEqual(32);
    // Derived from the CVV key when not given: a server secret, not the CVV key itself.
    expect(config.panLookupKey).toMatch(/^[0-9a-f]{64}$/);
    expect(config.panLookupKey).not.toBe(config.cvvKey);
  });

  it('refuses to start in production without the network secret and the CVV key', () => {
    expect(() => readCardsConfig({ APP_PROFILE: 'production' })).toThrow(/CARD_CVV_KEY/);
    expect(() =>
      readCardsConfig({ APP_PROFILE: 'production', CARD_CVV_KEY: 'k'.repeat(32) }),
    ).toThrow(/CARD_NETWORK_SECRET/);
    const problems = problemsOf({ APP_PROFILE: 'production' }).join('\n');
    expect(problems).toContain('CARD_NETWORK_SECRET');
    expect(problems).toContain('CARD_CVV_KEY');
    const ok = readCardsConfig({
      APP_PROFILE: 'production',
      CARD_CVV_KEY: 'c'.repeat(32),
      CARD_NETWORK_SECRET: 'n'.repeat(32),
      CARD_PAN_LOOKUP_KEY: 'l'.repeat(32),
    });
    expect(ok).toMatchObject({ networkSecret: 'n'.repeat(32), panLookupKey: 'l'.repeat(32) });
  });

  it('checks the variables at boot', () => {
    const problems = problemsOf({
      APP_PROFILE: 'test',
      CARD_BIN: '12345',
      CARD_VALIDITY_MONTHS: '0',
      CARD_NETWORK_SECRET: 'short',
    }).join('\n');
    expect(problems).toContain('CARD_BIN must be 6 to 8 digits');
    expect(problems).toContain('CARD_VALIDITY_MONTHS');
    expect(problems).toContain('CARD_NETWORK_SECRET must be at least 32 characters');
    expect(problemsOf({ APP_PROFILE: 'test', CARD_BIN: '41234567' })).toEqual([]);
    expect(() => readCardsConfig({ APP_PROFILE: 'test', CARD_BIN: '4123' })).toThrow(/CARD_BIN/);
  });
});
