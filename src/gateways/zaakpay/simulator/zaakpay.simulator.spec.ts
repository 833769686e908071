import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueId } from '../../../../test/utils/gateway-contract';
import { WebhookReceiver, type ReceivedWebhook } from '../../../../test/utils/webhook-receiver';
import { GatewayError } from '../../gateway.error';
import type { ChargeOutcome, GatewayEvent, InitiateRequest } from '../../payment-gateway';
import {
  STAGING_MERCHANT_IDENTIFIER,
  STAGING_SECRET_KEY,
} from '../__fixtures__/zaakpay-test-credentials';
import type { ZaakpayConfig } from '../zaakpay.config';
import { ZaakpayGateway } from '../zaakpay.gateway';
import { submitCheckout } from './zaakpay-buyer';
import {
  createZaakpaySimulator,
  REFUND_FAILS_LATER,
  type ZaakpaySimulator,
} from './zaakpay.simulator';

const receiver = new WebhookReceiver();
let simulator: ZaakpaySimulator;
let authorizing: ZaakpaySimulator;
let gateway: ZaakpayGateway;
let config: ZaakpayConfig;

function request(amountMinor = 10_000, overrides: Partial<InitiateRequest> = {}): InitiateRequest {
  return {
    attemptId: uniqueId('att'),
    amount: { amountMinor, currency: 'INR' },
    captureMode: 'automatic',
    paymentMethod: 'card',
    description: 'Simulator spec order',
    customer: { email: 'buyer@example.com', name: 'Asha Rao' },
    returnUrl: 'https://merchant.example.com/zaakpay/return',
    callbackUrl: 'https://merchant.example.com/webhooks/zaakpay',
    ...overrides,
  };
}

async function expectKind(
  promise: Promise<unknown>,
  kind: GatewayError['kind'],
): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayError);
  expect((error as GatewayError).kind).toBe(kind);
  return error as GatewayError;
}

async function eventsOf(webhooks: readonly ReceivedWebhook[]): Promise<GatewayEvent[]> {
  const parsed = await Promise.all(webhooks.map((webhook) => gateway.parseWebhook(webhook)));
  return parsed.flatMap((result) => result.events);
}

async function paidOrder(amountMinor = 10_000): Promise<ChargeOutcome> {
  const started = await gateway.initiate(request(amountMinor));
  await submitCheckout(started, 'pay');
  return started;
}

beforeAll(async () => {
  await receiver.start();
  simulator = createZaakpaySimulator({
    merchantIdentifier: STAGING_MERCHANT_IDENTIFIER,
    secretKey: STAGING_SECRET_KEY,
    webhookUrl: receiver.url('/webhooks/zaakpay'),
    callbackRetryDelaysMs: [20, 40, 60],
    lateResultDelayMs: 30,
  });
  const url = await simulator.listen(0);
  config = {
    merchantIdentifier: STAGING_MERCHANT_IDENTIFIER,
    secretKey: STAGING_SECRET_KEY,
    baseUrl: url,
    apiBaseUrl: url,
    timeoutMs: 1_000,
    maxRetries: 1,
    retryBaseDelayMs: 10,
  };
  gateway = new ZaakpayGateway(config);
});

afterAll(async () => {
  await simulator.close();
  await authorizing?.close();
  await receiver.stop();
});

beforeEach(async () => {
  await simulator.drainCallbacks();
  simulator.reset();
  receiver.clear();
  receiver.respondWith = { status: 200, body: 'SUCCESS' };
});

describe('Zaakpay simulator and gateway', () => {
  it('reports wrong merchant credentials as misconfigured with a clear message', async () => {
    const wrongSecret = new ZaakpayGateway({
      ...config,
      secretKey: 'ffffffffffffffffffffffffffffffff',
    });
    const error = await expectKind(
      wrongSecret.fetchStatus({ id: 'ZPTEST000123' }),
      'misconfigured',
    );
    expect(error.gatewayErrorCode).toBe('180');
    expect(error.message).toContain('ZAAKPAY_SECRET_KEY');
    expect(error.message).not.toContain('ffffffff');
    const wrongMerchant = new ZaakpayGateway({
      ...config,
      merchantIdentifier: '00000000000000000000000000000000',
    });
    expect(
      (await expectKind(wrongMerchant.fetchStatus({ id: 'x1' }), 'misconfigured')).gatewayErrorCode,
    ).toBe('111');
    const refund = wrongSecret.refund({
      reference: { id: 'x1' },
      refundId: 'rf1',
      amount: { amountMinor: 100, currency: 'INR' },
      capturedAmount: { amountMinor: 100, currency: 'INR' },
    });
    await expectKind(refund, 'misconfigured');
  });

  it('refuses a tampered checkout request with code 180 and records no order', async () => {
    const started = await gateway.initiate(request());
    const result = await submitCheckout(started, undefined, { amount: '1000' });
    expect(result.checkoutHtml).toContain('180');
    expect(simulator.state().orders).toHaveLength(0);
    expect(simulator.state().rejections).toEqual([
      expect.objectContaining({ responseCode: '180' }),
    ]);
  });

  it('refuses an unknown merchant on the checkout with 101', async () => {
    const other = new ZaakpayGateway({
      ...config,
      merchantIdentifier: '11111111111111111111111111111111',
    });
    const result = await submitCheckout(await other.initiate(request()), undefined);
    expect(result.checkoutHtml).toContain('101');
  });

  it('posts a checksummed response to returnUrl that the gateway verifies, and rejects a tampered one', async () => {
    const started = await gateway.initiate(request());
    const result = await submitCheckout(started, 'pay');
    expect(result.returnHtml).toContain('action="https://merchant.example.com/zaakpay/return"');
    const fields = result.returnFields!;
    expect(fields.responseDescription).toBe('The transaction was completed successfully. ');
    expect(gateway.parseReturn(fields)).toMatchObject({
      status: 'captured',
      capturedAmount: { amountMinor: 10_000 },
    });
    expect(gateway.parseReturn(new URLSearchParams(fields).toString()).status).toBe('captured');
    expect(() => gateway.parseReturn({ ...fields, responseCode: '100', amount: '1' })).toThrow(
      GatewayError,
    );
  });

  it('lets a test play the buyer without HTML through the control route', async () => {
    const started = await gateway.initiate(request());
    await submitCheckout(started, undefined);
    const response = await fetch(
      `${simulator.url}/__sim/checkout/${started.reference!.id}/complete`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'abandon' }),
      },
    );
    const body = (await response.json()) as { fields: Record<string, string> };
    expect(body.fields.responseCode).toBe('102');
    expect((await gateway.fetchStatus(started.reference!)).status).toBe('declined');
  });

  it.each([
    [10_001, '400'],
    [10_002, '401'],
    [10_003, '183'],
    [10_004, '103'],
  ])('declines a paid amount of %i paisa with code %s', async (amountMinor, code) => {
    const started = await paidOrder(amountMinor);
    const status = await gateway.fetchStatus(started.reference!);
    expect(status.status).toBe('declined');
    if (status.status === 'declined') expect(status.decline.gatewayCode).toBe(code);
  });

  it('splits a reconciliation push of 12 late successes into POSTs of 10 and 2, one event per txn', async () => {
    const orders: string[] = [];
    for (let i = 0; i < 12; i++) {
      const started = await gateway.initiate(request(10_000));
      await submitCheckout(started, 'fail');
      orders.push(started.reference!.id);
    }
    await simulator.drainCallbacks();
    receiver.clear();
    const response = await fetch(`${simulator.url}/__sim/webhooks/late`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderIds: orders }),
    });
    expect(await response.json()).toEqual({ pushed: 12 });
    await simulator.drainCallbacks();
    expect(receiver.received.map((webhook) => webhook.query.realtime)).toEqual(['false', 'false']);
    const perPost = await Promise.all(
      receiver.received.map((webhook) => gateway.parseWebhook(webhook)),
    );
    expect(perPost.map((parsed) => parsed.events.length).sort()).toEqual([10, 2].sort());
    const events = perPost.flatMap((parsed) => parsed.events);
    expect(new Set(events.map((event) => event.reference.id))).toEqual(new Set(orders));
    expect(events.every((event) => event.type === 'payment.captured')).toBe(true);
    expect(perPost[0].acknowledgement).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'SUCCESS',
    });
  });

  it('flips a paisa-05 payment from declined to captured with a late push', async () => {
    const started = await paidOrder(10_005);
    await receiver.waitFor((webhook) => webhook.query.realtime === 'false', 2_000);
    await simulator.drainCallbacks();
    const events = await eventsOf(receiver.received);
    expect(events.map((event) => event.type)).toEqual(['payment.declined', 'payment.captured']);
    expect((await gateway.fetchStatus(started.reference!)).status).toBe('captured');
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const response = await fetch(`${simulator.url}/updateTxn`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `data=${'x'.repeat(1024 * 1024 + 10)}`,
    });
    expect(response.status).toBe(413);
  });

  it('delivers duplicate webhooks that share one gatewayEventId', async () => {
    await fetch(`${simulator.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'callback_duplicate', count: 3 }),
    });
    await paidOrder();
    await simulator.drainCallbacks();
    expect(receiver.received).toHaveLength(3);
    const ids = (await eventsOf(receiver.received)).map((event) => event.gatewayEventId);
    expect(new Set(ids).size).toBe(1);
  });

  it('re-sends the webhook until our endpoint answers SUCCESS', async () => {
    receiver.respondWith = { status: 200, body: 'OK' };
    const started = await paidOrder();
    await receiver.waitFor(() => true);
    receiver.respondWith = { status: 200, body: 'SUCCESS' };
    await simulator.drainCallbacks();
    expect(receiver.received.length).toBeGreaterThanOrEqual(2);
    const ids = (await eventsOf(receiver.received)).map((event) => event.gatewayEventId);
    expect(new Set(ids)).toEqual(
      new Set([
        `zaakpay:${started.reference!.id}:${simulator.order(started.reference!.id)!.pgTransId}:100`,
      ]),
    );
  });

  it('holds webhooks and releases them out of order', async () => {
    simulator.server.faults.add({ action: 'callback_hold', times: 2 });
    const first = await paidOrder();
    const second = await paidOrder();
    await sleep(20);
    expect(receiver.received).toHaveLength(0);
    await fetch(`${simulator.url}/__sim/callbacks/flush`, { method: 'POST' });
    const order = (await eventsOf(receiver.received)).map((event) => event.reference.id);
    expect(order).toEqual([second.reference!.id, first.reference!.id]);
  });

  it('accepts a refund, then reports it failed when the fault says it fails later', async () => {
    const started = await paidOrder();
    simulator.server.faults.add({ action: REFUND_FAILS_LATER });
    const refund = await gateway.refund({
      reference: started.reference!,
      refundId: 'rf-late-1',
      amount: { amountMinor: 4_000, currency: 'INR' },
      capturedAmount: { amountMinor: 10_000, currency: 'INR' },
    });
    expect(refund.status).toBe('pending');
    const later = await gateway.fetchRefundStatus(refund.refundReference, started.reference!);
    expect(later.status).toBe('failed');
    expect(later.amount).toEqual({ amountMinor: 4_000, currency: 'INR' });
    expect(simulator.refundedTotalMinor(started.reference!.id)).toBe(0);
  });

  it('keeps merchantRefId unique: same request replays, a different one is refused', async () => {
    const started = await paidOrder();
    const base = {
      reference: started.reference!,
      refundId: 'rf-unique-1',
      capturedAmount: { amountMinor: 10_000, currency: 'INR' },
    };
    expect(
      (await gateway.refund({ ...base, amount: { amountMinor: 1_000, currency: 'INR' } })).status,
    ).toBe('pending');
    expect(
      (await gateway.refund({ ...base, amount: { amountMinor: 1_000, currency: 'INR' } })).status,
    ).toBe('pending');
    const other = await gateway.refund({
      ...base,
      amount: { amountMinor: 2_000, currency: 'INR' },
    });
    expect(other).toMatchObject({ status: 'failed', failure: { gatewayCode: '201' } });
    expect(simulator.refundedTotalMinor(started.reference!.id)).toBe(1_000);
    const state = (await (await fetch(`${simulator.url}/__sim/state`)).json()) as {
      orders: Array<{ refunds: unknown[] }>;
    };
    expect(state.orders[0].refunds).toHaveLength(1);
  });

  it('refuses invalid amounts, currencies and manual capture before any call', async () => {
    await expectKind(gateway.initiate(request(99)), 'invalid_request');
    await expectKind(gateway.initiate(request(10_000_001)), 'invalid_request');
    await expectKind(
      gateway.initiate(request(1000, { amount: { amountMinor: 1000, currency: 'USD' } })),
      'invalid_request',
    );
    await expectKind(gateway.initiate(request(1000, { captureMode: 'manual' })), 'invalid_request');
    await expectKind(gateway.initiate(request(1000, { customer: {} })), 'invalid_request');
    expect(simulator.state().orders).toHaveLength(0);
  });

  it('captures (7) and cancels (8) on an authorise-only merchant account', async () => {
    authorizing = createZaakpaySimulator({
      merchantIdentifier: STAGING_MERCHANT_IDENTIFIER,
      secretKey: STAGING_SECRET_KEY,
      authorizeOnly: true,
    });
    const url = await authorizing.listen(0);
    const auth = new ZaakpayGateway({ ...config, baseUrl: url, apiBaseUrl: url });
    const first = await auth.initiate(request());
    await submitCheckout(first, 'pay');
    expect((await auth.fetchStatus(first.reference!)).status).toBe('authorized');
    const captured = await auth.capture({
      reference: first.reference!,
      amount: { amountMinor: 10_000, currency: 'INR' },
      idempotencyKey: 'c1',
    });
    expect(captured.status).toBe('captured');
    expect((await auth.fetchStatus(first.reference!)).status).toBe('captured');
    await expectKind(
      auth.capture({
        reference: first.reference!,
        amount: { amountMinor: 10_000, currency: 'INR' },
        idempotencyKey: 'c2',
      }),
      'rejected',
    );
    const second = await auth.initiate(request());
    await submitCheckout(second, 'pay');
    expect((await auth.cancel({ reference: second.reference!, idempotencyKey: 'v1' })).status).toBe(
      'cancelled',
    );
    expect((await auth.fetchStatus(second.reference!)).status).toBe('cancelled');
  });

  it('answers an unknown order as not found (pending) and a latency fault still in time', async () => {
    simulator.server.faults.add({ action: 'latency', ms: 100, path: '^/checkTxn$' });
    expect((await gateway.fetchStatus({ id: 'NEVERPAID1' })).status).toBe('pending');
  });
});
