import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { MPESA_SANDBOX_BASE_URL, mpesaConfig, MpesaEnvironmentVariables } from './mpesa.config';

const validate = (env: Record<string, string>) =>
  validateSync(plainToInstance(MpesaEnvironmentVariables, env)).map((error) => error.property);

describe('mpesa config', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('requires the credentials only when mpesa is enabled', () => {
    expect(validate({ GATEWAYS_ENABLED: 'stripe' })).toEqual([]);
    expect(validate({ GATEWAYS_ENABLED: 'stripe,mpesa' }).sort()).toEqual(
      [
        'MPESA_CALLBACK_SECRET',
        'MPESA_CERTIFICATE_PATH',
        'MPESA_CERTIFICATE_PEM',
        'MPESA_CONSUMER_KEY',
        'MPESA_CONSUMER_SECRET',
        'MPESA_INITIATOR_NAME',
        'MPESA_INITIATOR_PASSWORD',
        'MPESA_PASSKEY',
        'MPESA_SHORTCODE',
      ].sort(),
    );
  });

  it('accepts a complete configuration and rejects a bad shortcode or timeout', () => {
    const env = {
      GATEWAYS_ENABLED: 'mpesa',
      MPESA_CONSUMER_KEY: 'k',
      MPESA_CONSUMER_SECRET: 's',
      MPESA_SHORTCODE: '174379',
      MPESA_PASSKEY: 'p',
      MPESA_INITIATOR_NAME: 'testapi',
      MPESA_INITIATOR_PASSWORD: 'pw',
      MPESA_CERTIFICATE_PATH: '/etc/mpesa/sandbox.cer',
      MPESA_CALLBACK_SECRET: 'secret',
      MPESA_TIMEOUT_MS: '15000',
    };
    expect(validate(env)).toEqual([]);
    expect(validate({ ...env, MPESA_SHORTCODE: '12' })).toEqual(['MPESA_SHORTCODE']);
    expect(validate({ ...env, MPESA_TIMEOUT_MS: 'soon' })).toEqual(['MPESA_TIMEOUT_MS']);
  });

  it('reads the environment with the sandbox host and defaults', () => {
    process.env = {
      MPESA_CONSUMER_KEY: 'k',
      MPESA_CERTIFICATE_PEM: '-----BEGIN CERTIFICATE-----\\nAA\\n-----END CERTIFICATE-----',
    };
    const config = mpesaConfig();
    expect(config).toMatchObject({
      baseUrl: MPESA_SANDBOX_BASE_URL,
      consumerKey: 'k',
      transactionType: 'CustomerPayBillOnline',
      timeoutMs: 15_000,
      maxRetries: 2,
    });
    expect(config.certificatePem).toBe(
      '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----',
    );
  });
});
