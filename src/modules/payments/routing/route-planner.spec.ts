import type { GatewayCode } from '../../../gateways/gateway-codes';
import type { GatewayCapabilities } from '../../../gateways/payment-gateway';
import { planRoute, splitSeedOf, type RouteInputs, type RoutingRuleLike } from './route-planner';

const caps = (overrides: Partial<GatewayCapabilities>): GatewayCapabilities => ({
  manualCapture: true,
  partialCapture: true,
  voidAuthorization: true,
  partialRefund: true,
  multipleRefunds: true,
  payouts: false,
  paymentMethods: ['card'],
  currencies: ['USD'],
  minAmountMinor: {},
  maxAmountMinor: {},
  ...overrides,
});

const gateways = new Map<GatewayCode, GatewayCapabilities>([
  ['stripe', caps({ currencies: ['USD', 'EUR'] })],
  [
    'paypal',
    caps({
      paymentMethods: ['paypal', 'card'],
      currencies: ['USD'],
      maxAmountMinor: { USD: 10_000 },
    }),
  ],
  ['zaakpay', caps({ manualCapture: false, currencies: ['INR'], paymentMethods: ['card', 'upi'] })],
  ['mpesa', caps({ manualCapture: false, currencies: ['KES'], paymentMethods: ['mobile_money'] })],
]);

const rule = (overrides: Partial<RoutingRuleLike>): RoutingRuleLike => ({
  id: overrides.name ?? 'r',
  name: 'r',
  priority: 10,
  gatewayCode: 'stripe',
  currency: null,
  paymentMethod: null,
  minAmountMinor: null,
  maxAmountMinor: null,
  country: null,
  weight: 100,
  enabled: true,
  ...overrides,
});

const inputs = (overrides: Partial<RouteInputs> = {}): RouteInputs => ({
  gateways,
  merchantGateways: [],
  rules: [],
  splitSeed: 0,
  ...overrides,
});

const usdCard = {
  amountMinor: 5_000,
  currency: 'USD',
  paymentMethod: 'card',
  captureMode: 'automatic',
} as const;

describe('planRoute', () => {
  it('lists every capable gateway in default order when the merchant has no rules', () => {
    const plan = planRoute(usdCard, inputs());
    expect(plan.candidates.map((c) => c.gatewayCode)).toEqual(['paypal', 'stripe']);
    expect(plan.candidates[0]!.reason).toBe('default: takes USD card');
    expect(plan.excluded).toMatchObject({
      zaakpay: 'does not take USD',
      mpesa: 'does not take USD',
    });
  });

  it('puts matching rules first by priority, then the rest as fallbacks', () => {
    const plan = planRoute(
      usdCard,
      inputs({
        rules: [
          rule({ name: 'usd to stripe', gatewayCode: 'stripe', currency: 'USD', priority: 1 }),
        ],
      }),
    );
    expect(plan.candidates).toEqual([
      { gatewayCode: 'stripe', reason: 'rule "usd to stripe" (priority 1)' },
      { gatewayCode: 'paypal', reason: 'fallback: takes USD card' },
    ]);
  });

  it('ignores rules whose conditions do not match and rules for ineligible gateways', () => {
    const plan = planRoute(
      usdCard,
      inputs({
        rules: [
          rule({ name: 'eur', gatewayCode: 'stripe', currency: 'EUR', priority: 1 }),
          rule({ name: 'big', gatewayCode: 'stripe', minAmountMinor: 100_000, priority: 1 }),
          rule({ name: 'kenya', gatewayCode: 'stripe', country: 'KE', priority: 1 }),
          rule({ name: 'inr', gatewayCode: 'zaakpay', priority: 1 }),
        ],
      }),
    );
    expect(plan.candidates.map((c) => c.gatewayCode)).toEqual(['paypal', 'stripe']);
    expect(plan.candidates.every((c) => c.reason.startsWith('fallback'))).toBe(true);
  });

  it('splits traffic by weight within one priority, stably per seed', () => {
    const rules = [
      rule({ name: 'seventy', gatewayCode: 'stripe', weight: 70 }),
      rule({ name: 'thirty', gatewayCode: 'paypal', weight: 30 }),
    ];
    const first = (seed: number) =>
      planRoute(usdCard, inputs({ rules, splitSeed: seed })).candidates[0]!;
    expect(first(0).gatewayCode).toBe('stripe');
    expect(first(69).gatewayCode).toBe('stripe');
    expect(first(70).gatewayCode).toBe('paypal');
    expect(first(99).reason).toBe('rule "thirty" (priority 10, 30 of 100 weight)');
    const counts = { stripe: 0, paypal: 0 };
    for (let seed = 0; seed < 100; seed++) counts[first(seed).gatewayCode as 'stripe' | 'paypal']++;
    expect(counts).toEqual({ stripe: 70, paypal: 30 });
  });

  it('honours the merchant switches and capability limits', () => {
    const onlyStripe = planRoute(
      usdCard,
      inputs({ merchantGateways: [{ gatewayCode: 'stripe', enabled: true }] }),
    );
    expect(onlyStripe.candidates.map((c) => c.gatewayCode)).toEqual(['stripe']);
    expect(onlyStripe.excluded.paypal).toBe('not enabled for this merchant');

    const tooBig = planRoute({ ...usdCard, amountMinor: 20_000 }, inputs());
    expect(tooBig.candidates.map((c) => c.gatewayCode)).toEqual(['stripe']);
    expect(tooBig.excluded.paypal).toBe('maximum is 10000 USD minor units');

    const manualInr = planRoute({ ...usdCard, currency: 'INR', captureMode: 'manual' }, inputs());
    expect(manualInr.candidates).toEqual([]);
    expect(manualInr.excluded.zaakpay).toBe('cannot authorize now and capture later');
  });

  it('tries only the requested gateway, and none when it cannot take the payment', () => {
    expect(planRoute({ ...usdCard, gatewayCode: 'paypal' }, inputs()).candidates).toEqual([
      { gatewayCode: 'paypal', reason: 'requested by the caller' },
    ]);
    expect(planRoute({ ...usdCard, gatewayCode: 'mpesa' }, inputs()).candidates).toEqual([]);
  });

  it('gives each payment id a stable bucket between 0 and 99', () => {
    const seed = splitSeedOf('0b7f4bd2-55a4-4d4c-9a53-2f4a3e0c3a11');
    expect(seed).toBe(splitSeedOf('0b7f4bd2-55a4-4d4c-9a53-2f4a3e0c3a11'));
    expect(seed).toBeGreaterThanOrEqual(0);
    expect(seed).toBeLessThan(100);
  });
});
