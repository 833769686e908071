import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PAYPAL_SANDBOX_BASE_URL, PaypalEnvironmentVariables, paypalConfig } from './paypal.config';

const errorsFor = (env: Record<string, string>): string[] =>
  validateSync(plainToInstance(PaypalEnvironmentVariables, env)).map((error) => error.property);

describe('paypal config', () => {
  it('requires credentials and the webhook id when PayPal is enabled', () => {
    expect(errorsFor({ GATEWAYS_ENABLED: 'paypal,stripe' }).sort()).toEqual([
      'PAYPAL_CLIENT_ID',
      'PAYPAL_CLIENT_SECRET',
      'PAYPAL_WEBHOOK_ID',
    ]);
    expect(errorsFor({ GATEWAYS_ENABLED: 'stripe' })).toEqual([]);
  });

  it('validates the optional settings', () => {
    const base = {
      PAYPAL_CLIENT_ID: 'id',
      PAYPAL_CLIENT_SECRET: 'secret',
      PAYPAL_WEBHOOK_ID: 'WH',
    };
    expect(errorsFor(base)).toEqual([]);
    expect(
      errorsFor({
        ...base,
        PAYPAL_WEBHOOK_VERIFICATION: 'maybe',
        PAYPAL_TIMEOUT_MS: 'soon',
      }).sort(),
    ).toEqual(['PAYPAL_TIMEOUT_MS', 'PAYPAL_WEBHOOK_VERIFICATION']);
  });

  it('defaults to the sandbox host and postback verification', () => {
    const saved = { ...process.env };
    try {
      delete process.env.PAYPAL_BASE_URL;
      delete process.env.PAYPAL_WEBHOOK_VERIFICATION;
      process.env.PAYPAL_WEBHOOK_CERT_HOSTS = 'localhost:4103, Example.test';
      const config = paypalConfig();
      expect(config).toMatchObject({
        baseUrl: PAYPAL_SANDBOX_BASE_URL,
        webhookVerification: 'api',
        timeoutMs: 10_000,
      });
      expect(config.webhookCertHosts).toEqual(['localhost:4103', 'example.test']);
    } finally {
      process.env = saved;
    }
  });
});
