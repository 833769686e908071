import { ConfigValidationError, validateEnvironment } from '../config/env.validation';
import { gatewaysConfig, simulatorWebhookBaseUrl } from './gateways.config';
import { enabledGatewayCodes, parseGatewayList } from './gateways-enabled';
import { MPESA_DEMO_PUBLIC_KEY_PEM, mpesaConfig } from './mpesa/mpesa.config';
import { PAYPAL_SANDBOX_BASE_URL, paypalConfig } from './paypal/paypal.config';
import { STRIPE_DEMO_CREDENTIALS, stripeConfig } from './stripe/stripe.config';
import { ZAAKPAY_DEMO_CREDENTIALS, zaakpayConfig } from './zaakpay/zaakpay.config';

// What production needs besides gateways, so only gateway problems remain.
const PRODUCTION = {
  APP_PROFILE: 'production',
  JWT_ACCESS_SECRET: 'j'.repeat(32),
  API_KEY_PEPPER: 'p'.repeat(32),
  RISK_HASH_PEPPER: 'r'.repeat(32),
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  ENCRYPTION_CURRENT_KEY_ID: 'k1',
};

function problemsFor(env: Record<string, string>): string[] {
  try {
    validateEnvironment(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
}

describe('gateways config', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  describe('GATEWAYS_ENABLED', () => {
    it('defaults to every gateway outside production and to none in production', () => {
      for (const profile of ['development', 'demo', 'test']) {
        expect(enabledGatewayCodes({ APP_PROFILE: profile })).toEqual([
          'zaakpay',
          'mpesa',
          'paypal',
          'stripe',
        ]);
      }
      expect(enabledGatewayCodes({ APP_PROFILE: 'production' })).toEqual([]);
      expect(enabledGatewayCodes({})).toEqual([]);
      expect(
        enabledGatewayCodes({ APP_PROFILE: 'development', GATEWAYS_ENABLED: ' ' }),
      ).toHaveLength(4);
    });

    it('parses a comma list, case-insensitively, in code order', () => {
      expect(enabledGatewayCodes({ GATEWAYS_ENABLED: ' Stripe, mpesa,,' })).toEqual([
        'mpesa',
        'stripe',
      ]);
      expect(parseGatewayList('stripe,razorpay,Foo,foo')).toEqual({
        codes: ['stripe'],
        unknown: ['razorpay', 'foo'],
      });
    });

    it('rejects an unknown code with a message that lists the valid ones', () => {
      expect(
        problemsFor({ APP_PROFILE: 'development', GATEWAYS_ENABLED: 'stripe,razorpay' }),
      ).toEqual([
        'GATEWAYS_ENABLED has unknown gateway code(s) "razorpay"; valid codes: zaakpay, mpesa, paypal, stripe (gateways)',
      ]);
    });

    it('is what the gateways namespace reports', () => {
      process.env = { APP_PROFILE: 'production', GATEWAYS_ENABLED: 'paypal,zaakpay' };
      expect(gatewaysConfig()).toEqual({ enabled: ['zaakpay', 'paypal'] });
    });
  });

  describe('production', () => {
    it('requires the credentials of each enabled gateway, and of no other', () => {
      expect(problemsFor(PRODUCTION)).toEqual([]);
      const problems = problemsFor({ ...PRODUCTION, GATEWAYS_ENABLED: 'stripe,zaakpay' });
      expect([...new Set(problems.map((problem) => problem.split(' ')[0]))].sort()).toEqual([
        'STRIPE_SECRET_KEY',
        'STRIPE_WEBHOOK_SECRET',
        'ZAAKPAY_MERCHANT_IDENTIFIER',
        'ZAAKPAY_SECRET_KEY',
      ]);
      expect(problems.find((problem) => problem.startsWith('STRIPE_SECRET_KEY'))).toMatch(
        /\(stripe\)$/,
      );
      expect(
        problemsFor({
          ...PRODUCTION,
          GATEWAYS_ENABLED: 'stripe',
          STRIPE_SECRET_KEY: 'sk_live_abc',
          STRIPE_WEBHOOK_SECRET: 'whsec_abc',
        }),
      ).toEqual([]);
    });

    it('uses the real hosts and no demo credentials', () => {
      process.env = { APP_PROFILE: 'production' };
      expect(stripeConfig()).toMatchObject({
        baseUrl: 'https://api.stripe.com',
        secretKey: '',
        webhookSecret: '',
      });
      expect(paypalConfig()).toMatchObject({ baseUrl: PAYPAL_SANDBOX_BASE_URL, clientId: '' });
      expect(mpesaConfig()).toMatchObject({ consumerKey: '', certificatePem: '' });
      expect(zaakpayConfig().secretKey).toBe('');
    });
  });

  describe('development, demo and test', () => {
    it('need no gateway settings: every credential falls back to its demo value', () => {
      expect(problemsFor({ APP_PROFILE: 'development' })).toEqual([]);
      expect(problemsFor({ APP_PROFILE: 'demo', GATEWAYS_ENABLED: 'mpesa,paypal' })).toEqual([]);
    });

    it('still checks a credential that is set', () => {
      expect(problemsFor({ APP_PROFILE: 'development', STRIPE_SECRET_KEY: 'pk_test_x' })).toEqual([
        'STRIPE_SECRET_KEY must be an sk_test_/sk_live_ (or rk_) key (stripe)',
      ]);
    });

    it('point every gateway at its local simulator with the keys it accepts', () => {
      process.env = { APP_PROFILE: 'development' };
      expect(zaakpayConfig()).toMatchObject({
        baseUrl: 'http://127.0.0.1:4101',
        apiBaseUrl: 'http://127.0.0.1:4101',
        ...ZAAKPAY_DEMO_CREDENTIALS,
      });
      expect(mpesaConfig()).toMatchObject({
        baseUrl: 'http://127.0.0.1:4102',
        consumerKey: 'sim-consumer-key',
        shortcode: '174379',
        certificatePem: MPESA_DEMO_PUBLIC_KEY_PEM,
      });
      expect(paypalConfig()).toMatchObject({
        baseUrl: 'http://127.0.0.1:4103',
        clientId: 'sim-client-id',
      });
      expect(stripeConfig()).toMatchObject({
        baseUrl: 'http://127.0.0.1:4104',
        secretKey: STRIPE_DEMO_CREDENTIALS.secretKey,
        webhookSecret: STRIPE_DEMO_CREDENTIALS.webhookSecret,
      });
    });

    it('let explicit settings win over the demo values', () => {
      process.env = {
        APP_PROFILE: 'test',
        STRIPE_BASE_URL: 'https://api.stripe.com',
        STRIPE_SECRET_KEY: 'sk_test_mine',
      };
      expect(stripeConfig()).toMatchObject({
        baseUrl: 'https://api.stripe.com',
        secretKey: 'sk_test_mine',
      });
    });
  });

  it('sends simulator webhooks to PUBLIC_URL, else the local app', () => {
    expect(simulatorWebhookBaseUrl({})).toBe('http://127.0.0.1:3000');
    expect(simulatorWebhookBaseUrl({ PUBLIC_URL: 'https://pay.example' })).toBe(
      'https://pay.example',
    );
  });
});
