import { createUser, type TestUser } from '../factories/users.factory';
import { CREATE_ORDER, CREATE_PAYMENT, type PaymentView } from '../factories/payments.factory';
import { Role } from '../../src/modules/users/role';
import { createPaymentsTestApp, type PaymentsTestApp } from '../utils/payments-test-app';

const SERVER_TIMING = /^app;dur=(\d+\.\d), gateway;dur=(\d+\.\d), total;dur=(\d+\.\d)$/;

function timingOf(headers: Headers): { app: number; gateway: number; total: number } {
  const header = headers.get('server-timing') ?? '';
  const match = SERVER_TIMING.exec(header);
  if (!match) throw new Error(`bad Server-Timing header: "${header}"`);
  const [app, gateway, total] = match.slice(1).map(Number) as [number, number, number];
  // Each value is rounded to a tenth on its own.
  expect(Math.abs(app + gateway - total)).toBeLessThanOrEqual(0.2);
  return { app, gateway, total };
}

describe('Server-Timing and app-time metrics (e2e)', () => {
  let t: PaymentsTestApp;
  let merchant: TestUser;
  let customer: TestUser;

  beforeAll(async () => {
    t = await createPaymentsTestApp();
    merchant = await createUser(t, { role: Role.MERCHANT });
    customer = await createUser(t, { role: Role.CUSTOMER });
  });
  afterAll(async () => t?.close());

  it('splits GraphQL time into app and gateway time, gateway only where a gateway was called', async () => {
    const order = await t.gql.request<{ createOrder: { id: string } }>(
      CREATE_ORDER,
      {
        input: {
          currency: 'USD',
          lineItems: [{ name: 'Widget', quantity: 1, unitAmountMinor: 2_000 }],
          customerId: customer.id,
        },
      },
      merchant.accessToken,
    );
    expect(order.errors).toBeUndefined();
    expect(timingOf(order.headers).gateway).toBe(0);

    const payment = await t.gql.request<{ createPayment: PaymentView }>(
      CREATE_PAYMENT,
      {
        input: {
          orderId: order.data!.createOrder.id,
          paymentMethod: 'CARD',
          gatewayCode: 'stripe',
          paymentMethodToken: 'pm_card_visa',
          returnUrl: 'https://shop.example/return',
        },
      },
      customer.accessToken,
    );
    expect(payment.data?.createPayment.status).toBe('CAPTURED');
    const timing = timingOf(payment.headers);
    expect(timing.gateway).toBeGreaterThan(0);
    expect(timing.total).toBeGreaterThanOrEqual(timing.gateway);
  });

  it('answers REST routes, errors and unknown paths with Server-Timing too', async () => {
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(200);
    expect(timingOf(health.headers).gateway).toBe(0);

    const missing = await fetch(`${t.url}/no-such-route`);
    expect(missing.status).toBe(404);
    timingOf(missing.headers);

    const refused = await t.gql.request('{ me { id } }');
    expect(refused.errors?.length).toBeGreaterThan(0);
    timingOf(refused.headers);
  });

  it('exports the app-only time as payrail_request_app_seconds', async () => {
    const body = await (await fetch(`${t.url}/metrics`)).text();
    expect(body).toContain('# TYPE payrail_request_app_seconds histogram');
    expect(body).toMatch(
      /payrail_request_app_seconds_count\{method="POST",route="\/graphql"\} \d+/,
    );
  });
});
