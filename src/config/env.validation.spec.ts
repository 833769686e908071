// Module configs register their schemas when loaded, as main.ts loads them.
import '../modules/cards/cards.config';
import { ConfigValidationError, validateEnvironment } from './env.validation';

describe('environment validation', () => {
  it('lists every problem at once', () => {
    try {
      validateEnvironment({
        APP_PROFILE: 'production',
        PORT: 'abc',
        DB_PORT: '70000',
        LOG_LEVEL: 'loud',
      });
      throw new Error('expected a ConfigValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      const problems = (error as ConfigValidationError).problems.join('\n');
      for (const name of [
        'PORT',
        'DB_PORT',
        'LOG_LEVEL',
        'JWT_ACCESS_SECRET',
        'API_KEY_PEPPER',
        'RISK_HASH_PEPPER',
        'ENCRYPTION_KEYS',
        'CARD_NETWORK_SECRET',
        'CARD_CVV_KEY',
      ]) {
        expect(problems).toContain(name);
      }
    }
  });

  it('requires secrets in production but not in development', () => {
    expect(() => validateEnvironment({ APP_PROFILE: 'development' })).not.toThrow();
    expect(() => validateEnvironment({})).toThrow(ConfigValidationError);
  });

  it('accepts a complete production environment', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(() =>
      validateEnvironment({
        APP_PROFILE: 'production',
        JWT_ACCESS_SECRET: 'x'.repeat(40),
        API_KEY_PEPPER: 'y'.repeat(40),
        RISK_HASH_PEPPER: 'z'.repeat(40),
        CARD_NETWORK_SECRET: 'n'.repeat(40),
        CARD_CVV_KEY: 'c'.repeat(40),
        ENCRYPTION_KEYS: `k1:${key}`,
        ENCRYPTION_CURRENT_KEY_ID: 'k1',
        GATEWAYS_ENABLED: '',
      }),
    ).not.toThrow();
  });
});
