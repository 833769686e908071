import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  ZAAKPAY_STAGING_BASE_URL,
  ZaakpayEnvironmentVariables,
  zaakpayConfig,
} from './zaakpay.config';

const errorsFor = (env: Record<string, string>) =>
  validateSync(plainToInstance(ZaakpayEnvironmentVariables, env)).map((error) => error.property);

describe('Zaakpay config', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('requires the credentials when the gateway is enabled in production, and only then', () => {
    expect(errorsFor({ GATEWAYS_ENABLED: 'zaakpay' })).toEqual([
      'ZAAKPAY_MERCHANT_IDENTIFIER',
      'ZAAKPAY_SECRET_KEY',
    ]);
    // Production with GATEWAYS_ENABLED unset enables nothing; other profiles fall back to demo keys.
    expect(errorsFor({})).toEqual([]);
    expect(errorsFor({ APP_PROFILE: 'development', GATEWAYS_ENABLED: 'zaakpay' })).toEqual([]);
    expect(errorsFor({ GATEWAYS_ENABLED: 'mpesa,zaakpay' })).toHaveLength(2);
    expect(errorsFor({ GATEWAYS_ENABLED: 'stripe,paypal' })).toEqual([]);
    expect(errorsFor({ ZAAKPAY_MERCHANT_IDENTIFIER: 'm', ZAAKPAY_SECRET_KEY: 's' })).toEqual([]);
  });

  it('validates URLs and numbers', () => {
    const base = { ZAAKPAY_MERCHANT_IDENTIFIER: 'm', ZAAKPAY_SECRET_KEY: 's' };
    expect(errorsFor({ ...base, ZAAKPAY_BASE_URL: 'http://127.0.0.1:4101' })).toEqual([]);
    expect(errorsFor({ ...base, ZAAKPAY_BASE_URL: 'not a url' })).toEqual(['ZAAKPAY_BASE_URL']);
    expect(errorsFor({ ...base, ZAAKPAY_TIMEOUT_MS: 'soon' })).toEqual(['ZAAKPAY_TIMEOUT_MS']);
    expect(errorsFor({ ...base, ZAAKPAY_TIMEOUT_MS: '5000', ZAAKPAY_MAX_RETRIES: '2' })).toEqual(
      [],
    );
  });

  it('defaults to the staging host and uses it for the APIs unless told otherwise', () => {
    process.env.ZAAKPAY_MERCHANT_IDENTIFIER = 'm';
    process.env.ZAAKPAY_SECRET_KEY = 's';
    delete process.env.ZAAKPAY_BASE_URL;
    delete process.env.ZAAKPAY_API_BASE_URL;
    expect(zaakpayConfig()).toMatchObject({
      baseUrl: ZAAKPAY_STAGING_BASE_URL,
      apiBaseUrl: ZAAKPAY_STAGING_BASE_URL,
      timeoutMs: 15_000,
      maxRetries: 2,
    });
    process.env.ZAAKPAY_BASE_URL = 'http://127.0.0.1:4101';
    expect(zaakpayConfig().apiBaseUrl).toBe('http://127.0.0.1:4101');
  });
});
