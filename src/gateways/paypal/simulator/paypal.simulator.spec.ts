import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueId } from '../../../../test/utils/gateway-contract';
import { WebhookReceiver } from '../../../../test/utils/webhook-receiver';
import { TEST_CREDENTIALS, testConfig, testInitiateRequest } from '../__fixtures__/paypal.harness';
import type { ChargeOutcome, GatewayEvent, GatewayReference } from '../../payment-gateway';
import { PaypalClient } from '../paypal.client';
import { PaypalGateway } from '../paypal.gateway';
import { toOrderRequest } from '../paypal.mapper';
import { playPaypalBuyer } from './paypal-buyer';
import { createPaypalSimulator, type PaypalSimulator } from './paypal.simulator';

describe('paypal simulator', () => {
  const receiver = new WebhookReceiver();
  let simulator: PaypalSimulator;
  let gateway: PaypalGateway;
  let client: PaypalClient;
  let token: string;

  beforeAll(async () => {
    await receiver.start();
    simulator = createPaypalSimulator({
      ...TEST_CREDENTIALS,
      webhookUrl: receiver.url('/webhooks'),
      callbackRetryDelaysMs: [50],
    });
    await simulator.listen(0);
    gateway = new PaypalGateway(testConfig(simulator.url));
    client = new PaypalClient(testConfig(simulator.url));
    token = await client.accessToken();
  });
  afterAll(async () => {
    await simulator.close();
    await receiver.stop();
  });
  beforeEach(() => {
    simulator.reset();
    receiver.clear();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${simulator.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const paid = async (
    captureMode: 'automatic' | 'manual' = 'automatic',
  ): Promise<ChargeOutcome> => {
    const started = await gateway.initiate(testInitiateRequest({ captureMode }));
    await playPaypalBuyer(started, 'approve');
    return gateway.completeApproval(started.reference!, uniqueId('cmp'));
  };

  const eventsOf = async (eventType: string): Promise<readonly GatewayEvent[]> => {
    const webhook = await receiver.waitFor(
      (received) => received.rawBody.includes(`"event_type":"${eventType}"`),
      5_000,
    );
    return (await gateway.parseWebhook(webhook)).events;
  };

  it('replays the original result for a repeated PayPal-Request-Id (HTTP 200) and acts again without one', async () => {
    const body = toOrderRequest(testInitiateRequest());
    const first = await post('/v2/checkout/orders', body, { 'paypal-request-id': 'req-1' });
    const again = await post('/v2/checkout/orders', body, { 'paypal-request-id': 'req-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const firstOrder = (await first.json()) as { id: string };
    expect(((await again.json()) as { id: string }).id).toBe(firstOrder.id);
    const duplicate = await post('/v2/checkout/orders', body);
    expect(duplicate.status).toBe(422);
    expect(await duplicate.json()).toMatchObject({ details: [{ issue: 'DUPLICATE_INVOICE_ID' }] });
    expect(Object.keys(simulator.records.orders)).toHaveLength(1);
  });

  it('refunds once per refund id however often the request is repeated', async () => {
    const captured = await paid();
    const refund = {
      reference: captured.reference!,
      refundId: uniqueId('rf'),
      amount: { amountMinor: 300, currency: 'USD' },
      capturedAmount: { amountMinor: 1000, currency: 'USD' },
    };
    const first = await gateway.refund(refund);
    const second = await gateway.refund(refund);
    expect(second.refundReference.id).toBe(first.refundReference.id);
    expect(simulator.refundedTotalMinor(captured.reference!.extra!.captureId)).toBe(300);
  });

  it('refunds the rest of a capture when the refund body is empty', async () => {
    const captured = await paid();
    const captureId = captured.reference!.extra!.captureId;
    await client.refundCapture(captureId, { amount: { currency_code: 'USD', value: '2.00' } }, {});
    const rest = await client.refundCapture(captureId, {}, {});
    expect(rest.amount).toEqual({ currency_code: 'USD', value: '8.00' });
    expect((await client.getCapture(captureId)).status).toBe('REFUNDED');
  });

  it('answers 413 to a body over 1 MiB and 401 to a missing token', async () => {
    const huge = await post('/v2/checkout/orders', `{"pad":"${'x'.repeat(1024 * 1024)}"}`);
    expect(huge.status).toBe(413);
    const anonymous = await fetch(`${simulator.url}/v2/checkout/orders/NOPE`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ name: 'AUTHENTICATION_FAILURE' });
  });

  it('sends the buyer to cancel_url on Cancel and leaves the order waiting', async () => {
    const started = await gateway.initiate(testInitiateRequest());
    const response = await playPaypalBuyer(started, 'cancel');
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example.com/paypal/cancel');
    expect(location.searchParams.get('token')).toBe(started.reference!.id);
    expect((await gateway.fetchStatus(started.reference!)).status).toBe('requires_action');
    expect(
      (await gateway.cancel({ reference: started.reference!, idempotencyKey: uniqueId('cx') }))
        .status,
    ).toBe('cancelled');
  });

  it('returns the buyer to return_url with token and PayerID on Approve', async () => {
    const started = await gateway.initiate(testInitiateRequest());
    const response = await playPaypalBuyer(started, 'approve');
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('token')).toBe(started.reference!.id);
    expect(location.searchParams.get('PayerID')).toMatch(/^[0-9A-Z]{13}$/);
    expect((await gateway.fetchStatus(started.reference!)).status).toBe('pending');
  });

  it('keeps an eCheck capture pending until it settles', async () => {
    const started = await gateway.initiate(testInitiateRequest());
    await playPaypalBuyer(started, 'pending');
    const pending = await gateway.completeApproval(started.reference!, uniqueId('cmp'));
    expect(pending.status).toBe('pending');
    const settle = await fetch(
      `${simulator.url}/__sim/captures/${pending.reference!.extra!.captureId}/settle`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"status":"COMPLETED"}',
      },
    );
    expect(settle.status).toBe(200);
    expect((await gateway.fetchStatus(started.reference!)).status).toBe('captured');
  });

  it('lets a refund fail later (refund_fails_later)', async () => {
    const captured = await paid();
    simulator.server.faults.add({ action: 'refund_fails_later', ms: 30 });
    const refund = await gateway.refund({
      reference: captured.reference!,
      refundId: uniqueId('rf'),
      amount: { amountMinor: 1000, currency: 'USD' },
      capturedAmount: { amountMinor: 1000, currency: 'USD' },
    });
    expect(refund.status).toBe('pending');
    await sleep(60);
    const settled = await gateway.fetchRefundStatus(refund.refundReference, captured.reference!);
    expect(settled.status).toBe('failed');
    expect(simulator.refundedTotalMinor(captured.reference!.extra!.captureId)).toBe(0);
  });

  it('opens, updates and resolves a dispute, with signed dispute events', async () => {
    const captured = await paid();
    const captureId = captured.reference!.extra!.captureId;
    const opened = await fetch(`${simulator.url}/__sim/disputes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ capture_id: captureId, reason: 'UNAUTHORISED' }),
    });
    const dispute = (await opened.json()) as { dispute_id: string };
    const [created] = await eventsOf('CUSTOMER.DISPUTE.CREATED');
    expect(created).toMatchObject({
      type: 'dispute.opened',
      reference: { id: captureId },
      dispute: { disputeReference: dispute.dispute_id, reason: 'UNAUTHORISED', status: 'OPEN' },
    });
    expect(created.attemptId).toBeTruthy();
    await expect(
      gateway.refund({
        reference: captured.reference!,
        refundId: uniqueId('rf'),
        amount: { amountMinor: 100, currency: 'USD' },
        capturedAmount: { amountMinor: 1000, currency: 'USD' },
      }),
    ).rejects.toMatchObject({ kind: 'rejected', gatewayErrorCode: 'TRANSACTION_DISPUTED' });
    await fetch(`${simulator.url}/__sim/disputes/${dispute.dispute_id}/update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"status":"UNDER_REVIEW"}',
    });
    expect((await eventsOf('CUSTOMER.DISPUTE.UPDATED'))[0].type).toBe('dispute.updated');
    await fetch(`${simulator.url}/__sim/disputes/${dispute.dispute_id}/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"outcome_code":"RESOLVED_BUYER_FAVOUR"}',
    });
    expect((await eventsOf('CUSTOMER.DISPUTE.RESOLVED'))[0]).toMatchObject({
      type: 'dispute.closed',
      dispute: { status: 'RESOLVED_BUYER_FAVOUR' },
    });
    expect((await eventsOf('PAYMENT.CAPTURE.REVERSED'))[0]).toMatchObject({
      type: 'refund.succeeded',
      refundReference: { extra: { reversal: 'true' } },
    });
  });

  it('captures an authorization in parts, then voids the rest', async () => {
    const authorized = await paid('manual');
    expect(authorized.status).toBe('authorized');
    const reference: GatewayReference = authorized.reference!;
    const first = await gateway.capture({
      reference,
      amount: { amountMinor: 400, currency: 'USD' },
      idempotencyKey: uniqueId('cap'),
    });
    const second = await gateway.capture({
      reference,
      amount: { amountMinor: 300, currency: 'USD' },
      idempotencyKey: uniqueId('cap'),
    });
    expect([first.status, second.status]).toEqual(['captured', 'captured']);
    await expect(
      gateway.capture({
        reference,
        amount: { amountMinor: 400, currency: 'USD' },
        idempotencyKey: uniqueId('cap'),
      }),
    ).rejects.toMatchObject({ kind: 'rejected', gatewayErrorCode: 'MAX_CAPTURE_AMOUNT_EXCEEDED' });
    expect((await gateway.cancel({ reference, idempotencyKey: uniqueId('void') })).status).toBe(
      'cancelled',
    );
    const status = await gateway.fetchStatus(reference);
    expect(status).toMatchObject({
      status: 'captured',
      capturedAmount: { amountMinor: 700, currency: 'USD' },
    });
    const authorization = simulator.records.authorizations[reference.extra!.authorizationId];
    expect(authorization).toMatchObject({ status: 'VOIDED', capturedMinor: 700 });
  });

  it('captures an approved AUTHORIZE order in one capture call', async () => {
    const started = await gateway.initiate(testInitiateRequest({ captureMode: 'manual' }));
    await playPaypalBuyer(started, 'approve');
    const captured = await gateway.capture({
      reference: started.reference!,
      amount: { amountMinor: 1000, currency: 'USD' },
      idempotencyKey: uniqueId('cap'),
    });
    expect(captured).toMatchObject({
      status: 'captured',
      capturedAmount: { amountMinor: 1000, currency: 'USD' },
    });
  });

  it('takes HUF as whole units and refuses fractional forints before calling', async () => {
    const started = await gateway.initiate(
      testInitiateRequest({ amount: { amountMinor: 150_000, currency: 'HUF' } }),
    );
    expect(simulator.records.orders[started.reference!.id].amount).toEqual({
      amountMinor: 150_000,
      currency: 'HUF',
    });
    await expect(
      gateway.initiate(testInitiateRequest({ amount: { amountMinor: 150_050, currency: 'HUF' } })),
    ).rejects.toMatchObject({
      kind: 'invalid_request',
    });
  });

  it('settles a payout and reports a failing recipient', async () => {
    const failed = await gateway.payout({
      payoutId: uniqueId('po'),
      amount: { amountMinor: 500, currency: 'USD' },
      recipient: { email: 'fail@example.com' },
    });
    expect(failed.status).toBe('pending');
    const [event] = await eventsOf('PAYMENT.PAYOUTS-ITEM.FAILED');
    expect(event).toMatchObject({
      type: 'payout.failed',
      payoutReference: { id: failed.payoutReference.id },
    });
    const status = await gateway.fetchPayoutStatus(failed.payoutReference);
    expect(status).toMatchObject({
      status: 'failed',
      failure: { gatewayCode: 'RECEIVER_UNREGISTERED' },
      amount: { amountMinor: 500, currency: 'USD' },
    });
  });

  it('exposes its record of truth at /__sim/state', async () => {
    await paid();
    const state = (await (await fetch(`${simulator.url}/__sim/state`)).json()) as {
      orders: object;
      captures: object;
      events: unknown[];
    };
    expect(Object.keys(state.orders)).toHaveLength(1);
    expect(Object.keys(state.captures)).toHaveLength(1);
    expect(state.events.length).toBeGreaterThan(0);
  });
});
