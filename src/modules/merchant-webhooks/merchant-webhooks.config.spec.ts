import { validateEnvironment } from '../../config/env.validation';
import { readMerchantWebhooksConfig } from './merchant-webhooks.config';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from './retry-schedule';

describe('merchant webhooks config', () => {
  it('defaults to a 1 s poll, 10 s timeout and the three-day schedule', () => {
    expect(readMerchantWebhooksConfig({ APP_PROFILE: 'test' })).toEqual({
      pollMs: 1_000,
      timeoutMs: 10_000,
      retryScheduleSeconds: DEFAULT_RETRY_SCHEDULE_SECONDS,
      allowPrivateUrls: true,
    });
  });

  it('refuses private URLs by default only in production', () => {
    expect(readMerchantWebhooksConfig({ APP_PROFILE: 'production' }).allowPrivateUrls).toBe(false);
    expect(readMerchantWebhooksConfig({}).allowPrivateUrls).toBe(false);
    expect(readMerchantWebhooksConfig({ APP_PROFILE: 'development' }).allowPrivateUrls).toBe(true);
    expect(
      readMerchantWebhooksConfig({
        APP_PROFILE: 'production',
        MERCHANT_WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      }).allowPrivateUrls,
    ).toBe(true);
    expect(
      readMerchantWebhooksConfig({ APP_PROFILE: 'test', MERCHANT_WEBHOOK_ALLOW_PRIVATE_URLS: 'no' })
        .allowPrivateUrls,
    ).toBe(false);
  });

  it('reads the poll interval, timeout and schedule from the environment', () => {
    expect(
      readMerchantWebhooksConfig({
        MERCHANT_WEBHOOK_POLL_MS: '200',
        MERCHANT_WEBHOOK_TIMEOUT_MS: '1500',
        MERCHANT_WEBHOOK_RETRY_SCHEDULE: '1,1',
      }),
    ).toMatchObject({ pollMs: 200, timeoutMs: 1_500, retryScheduleSeconds: [1, 1] });
  });

  it('is validated at boot with the rest of the environment', () => {
    const base = { APP_PROFILE: 'test' };
    expect(() =>
      validateEnvironment({ ...base, MERCHANT_WEBHOOK_RETRY_SCHEDULE: '1m,5m' }),
    ).toThrow(/MERCHANT_WEBHOOK_RETRY_SCHEDULE must be a comma list/);
    expect(() => validateEnvironment({ ...base, MERCHANT_WEBHOOK_POLL_MS: '5' })).toThrow(
      /MERCHANT_WEBHOOK_POLL_MS/,
    );
    expect(() =>
      validateEnvironment({ ...base, MERCHANT_WEBHOOK_ALLOW_PRIVATE_URLS: 'maybe' }),
    ).toThrow(/MERCHANT_WEBHOOK_ALLOW_PRIVATE_URLS/);
    expect(() =>
      validateEnvironment({
        ...base,
        MERCHANT_WEBHOOK_RETRY_SCHEDULE: '1,1',
        MERCHANT_WEBHOOK_POLL_MS: '200',
      }),
    ).not.toThrow();
  });
});
