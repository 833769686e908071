import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

// @nestjs/config ships as ESM only; registerAs just tags the factory, which is all this spec needs.
jest.mock('@nestjs/config', () => ({
  registerAs: (token: string, factory: () => unknown) =>
    Object.assign(factory, { KEY: `CONFIGURATION(${token})` }),
}));

import { stripeConfig, StripeEnvironmentVariables } from './stripe.config';

const VALID = { STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc123' };

function errorsFor(env: Record<string, string>): string[] {
  const instance = plainToInstance(StripeEnvironmentVariables, env);
  return validateSync(instance).map((error) => error.property);
}

describe('stripe config', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('requires the secret key and webhook secret in production, with no defaults', () => {
    expect(errorsFor({ GATEWAYS_ENABLED: 'stripe' })).toEqual(
      expect.arrayContaining(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']),
    );
    expect(errorsFor(VALID)).toEqual([]);
  });

  it('rejects a publishable key, a non-whsec secret, a bad URL and a non-numeric timeout', () => {
    expect(errorsFor({ ...VALID, STRIPE_SECRET_KEY: 'pk_test_abc' })).toEqual([
      'STRIPE_SECRET_KEY',
    ]);
    expect(errorsFor({ ...VALID, STRIPE_WEBHOOK_SECRET: 'secret' })).toEqual([
      'STRIPE_WEBHOOK_SECRET',
    ]);
    expect(errorsFor({ ...VALID, STRIPE_BASE_URL: 'not a url' })).toEqual(['STRIPE_BASE_URL']);
    expect(errorsFor({ ...VALID, STRIPE_TIMEOUT_MS: 'soon' })).toEqual(['STRIPE_TIMEOUT_MS']);
    expect(
      errorsFor({ ...VALID, STRIPE_BASE_URL: 'http://127.0.0.1:4104', STRIPE_TIMEOUT_MS: '1500' }),
    ).toEqual([]);
  });

  it('reads process.env with defaults and trims pasted secrets', () => {
    process.env = {
      STRIPE_SECRET_KEY: ' sk_test_abc123\n',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc123 ',
    };
    expect(stripeConfig()).toEqual({
      baseUrl: 'https://api.stripe.com',
      secretKey: 'sk_test_abc123',
      webhookSecret: 'whsec_abc123',
      apiVersion: undefined,
      timeoutMs: 10_000,
      maxRetries: 2,
      retryBaseDelayMs: 500,
      webhookToleranceSeconds: 300,
    });
    process.env.STRIPE_BASE_URL = 'http://127.0.0.1:4104';
    process.env.STRIPE_TIMEOUT_MS = '1500';
    expect(stripeConfig()).toMatchObject({ baseUrl: 'http://127.0.0.1:4104', timeoutMs: 1500 });
  });
});
