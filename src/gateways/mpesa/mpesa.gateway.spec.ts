import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runGatewayContract, uniqueId } from '../../../test/utils/gateway-contract';
import type { GatewayHarness } from '../../../test/utils/gateway-harness';
import { WebhookReceiver } from '../../../test/utils/webhook-receiver';
import { GatewayError } from '../gateway.error';
import type {
  ChargeOutcome,
  InitiateRequest,
  PaymentGateway,
  RawWebhook,
} from '../payment-gateway';
import { MpesaGateway } from './mpesa.gateway';
import { mpesaConfigFor } from './mpesa.test-helpers';
import {
  createMpesaSimulator,
  SUCCESS_PHONE,
  type MpesaSimulator,
} from './simulator/mpesa.simulator';

jest.setTimeout(30_000);

const DECLINE_PHONE = '254700001032';

function createHarness(): GatewayHarness & { simulator(): MpesaSimulator } {
  let simulator: MpesaSimulator;
  let receiver: WebhookReceiver;
  let gateway: PaymentGateway;
  return {
    simulator: () => simulator,
    async start(webhookReceiver) {
      receiver = webhookReceiver;
      simulator = createMpesaSimulator({
        customerDelayMs: 5_000,
        resultDelayMs: 20,
        callbackRetryDelaysMs: [20, 50],
      });
      await simulator.listen(0);
      gateway = new MpesaGateway(mpesaConfigFor(simulator));
      return gateway;
    },
    stop: () => simulator.close(),
    async reset() {
      await simulator.server.callbacks.drain();
      simulator.reset();
    },
    amount: { amountMinor: 10_000, currency: 'KES' },
    request(kind, overrides: Partial<InitiateRequest> = {}): InitiateRequest {
      return {
        attemptId: uniqueId('att'),
        amount: { amountMinor: 10_000, currency: 'KES' },
        captureMode: 'automatic',
        paymentMethod: 'mobile_money',
        description: 'Order 42',
        customer: { phone: kind === 'approve' ? SUCCESS_PHONE : DECLINE_PHONE },
        returnUrl: 'https://shop.example/return',
        callbackUrl: receiver.url('/webhooks/mpesa'),
        ...overrides,
      };
    },
    async act(outcome, choice) {
      const id = outcome.reference!.id;
      const response = await fetch(
        `${simulator.url}/__sim/stk/${encodeURIComponent(id)}/complete`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(choice === 'decline' ? { resultCode: 1032 } : {}),
        },
      );
      if (!response.ok)
        throw new Error(`completing the STK prompt failed: HTTP ${response.status}`);
      // The customer has answered; give the callback a moment to land (a lost one is not fatal).
      await receiver
        .waitFor((webhook) => webhook.rawBody.toString().includes(id), 2_000)
        .catch(() => undefined);
    },
    async complete(gw, outcome) {
      // What the payments module does with an unverified callback: re-query, then keep the receipt.
      const status = await gw.fetchStatus(outcome.reference!);
      if (status.status !== 'captured') return status;
      for (const webhook of receiver.received) {
        const parsed = await gw.parseWebhook(webhook).catch(() => undefined);
        const event = parsed?.events.find(
          (e) => e.reference.id === status.reference.id && e.type === 'payment.captured',
        );
        if (event) {
          return {
            ...status,
            reference: {
              id: status.reference.id,
              extra: { ...status.reference.extra, ...event.reference.extra },
            },
          };
        }
      }
      return status;
    },
    paths: { refund: '^/mpesa/reversal/v1/request$', status: '^/mpesa/stkpushquery/v1/query$' },
    async fault(fault) {
      simulator.server.faults.add(fault);
    },
    async refundedTotalMinor(reference) {
      return (simulator.stk(reference.id)?.refundedKes ?? 0) * 100;
    },
    signedWebhooks: false,
    tamper(webhook: RawWebhook): RawWebhook {
      const token = webhook.query.token ?? '';
      const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      return { ...webhook, query: { ...webhook.query, token: flipped } };
    },
    payoutRecipient: { phone: SUCCESS_PHONE },
  };
}

runGatewayContract('mpesa', createHarness());

describe('MpesaGateway against its simulator', () => {
  const receiver = new WebhookReceiver();
  let simulator: MpesaSimulator;
  let gateway: MpesaGateway;

  beforeAll(async () => {
    await receiver.start();
    simulator = createMpesaSimulator({
      customerDelayMs: 150,
      resultDelayMs: 10,
      callbackRetryDelaysMs: [20, 50],
    });
    await simulator.listen(0);
    gateway = new MpesaGateway(mpesaConfigFor(simulator));
  });
  afterAll(async () => {
    await simulator.close();
    await receiver.stop();
  });
  beforeEach(async () => {
    await simulator.server.callbacks.drain();
    simulator.reset();
    receiver.clear();
    receiver.respondWith = { status: 200, body: '{"ResultCode":0,"ResultDesc":"Accepted"}' };
  });

  const request = (phone: string, overrides: Partial<InitiateRequest> = {}): InitiateRequest => ({
    attemptId: uniqueId('att'),
    amount: { amountMinor: 10_000, currency: 'KES' },
    captureMode: 'automatic',
    paymentMethod: 'mobile_money',
    description: 'Order 42',
    customer: { phone },
    returnUrl: 'https://shop.example/return',
    callbackUrl: receiver.url('/webhooks/mpesa'),
    ...overrides,
  });

  const callbacksFor = (id: string) =>
    receiver.received.filter((webhook) => webhook.rawBody.toString().includes(id));

  async function paid(): Promise<ChargeOutcome> {
    const started = await gateway.initiate(request(SUCCESS_PHONE));
    const id = started.reference!.id;
    simulator.completeStk(id);
    const webhook = await receiver.waitFor((w) => w.rawBody.toString().includes(id));
    const [event] = (await gateway.parseWebhook(webhook)).events;
    const status = await gateway.fetchStatus(started.reference!);
    return {
      ...status,
      reference: { id, extra: { ...started.reference!.extra, ...event.reference.extra } },
    } as ChargeOutcome;
  }

  it('starts an STK push: requires_action with the prompt, the amount in whole KES and our token URL', async () => {
    const started = await gateway.initiate(request('0708374149'));
    expect(started).toMatchObject({
      status: 'requires_action',
      nextAction: { type: 'stk_push', phone: '254708374149' },
      reference: { extra: { amountMinor: '10000', phone: '254708374149' } },
    });
    const transaction = simulator.stk(started.reference!.id)!;
    expect(transaction.amountKes).toBe(100);
    const url = new URL(transaction.callbackUrl);
    expect(url.pathname).toBe('/webhooks/mpesa');
    expect(url.searchParams.get('kind')).toBe('payment');
    expect(url.searchParams.get('token')).toBeTruthy();
  });

  it('reports pending while the customer has not answered, then the customer answers by themselves', async () => {
    const started = await gateway.initiate(request(SUCCESS_PHONE));
    expect((await gateway.fetchStatus(started.reference!)).status).toBe('pending');
    const webhook = await receiver.waitFor(
      (w) => w.rawBody.toString().includes(started.reference!.id),
      5_000,
    );
    const [event] = (await gateway.parseWebhook(webhook)).events;
    expect(event.type).toBe('payment.captured');
    expect(event.reference.extra?.receipt).toMatch(/^[A-Z0-9]{10}$/);
    expect((await gateway.fetchStatus(started.reference!)).status).toBe('captured');
  });

  it.each([
    ['254700001032', '1032'],
    ['254700001037', '1037'],
    ['254700002001', '2001'],
    ['254700000001', '1'],
    ['254700001019', '1019'],
  ])('declines the test phone %s with ResultCode %s', async (phone, code) => {
    const started = await gateway.initiate(request(phone));
    simulator.completeStk(started.reference!.id);
    const outcome = await gateway.fetchStatus(started.reference!);
    expect(outcome).toMatchObject({
      status: 'declined',
      decline: { gatewayCode: code, retryable: true },
    });
    const webhook = await receiver.waitFor((w) =>
      w.rawBody.toString().includes(started.reference!.id),
    );
    expect((await gateway.parseWebhook(webhook)).events[0]).toMatchObject({
      type: 'payment.declined',
      decline: { gatewayCode: code },
    });
  });

  it('refuses fractional KES, amounts above KES 250,000, other currencies and bad phones before any call', async () => {
    const refusals = [
      request(SUCCESS_PHONE, { amount: { amountMinor: 10_050, currency: 'KES' } }),
      request(SUCCESS_PHONE, { amount: { amountMinor: 25_000_100, currency: 'KES' } }),
      request(SUCCESS_PHONE, { amount: { amountMinor: 10_000, currency: 'USD' } }),
      request('+1 415 555 0100'),
      request(SUCCESS_PHONE, { captureMode: 'manual' }),
    ];
    for (const refused of refusals) {
      await expect(gateway.initiate(refused)).rejects.toMatchObject({ kind: 'invalid_request' });
    }
    expect(simulator.state().tokensIssued).toBe(0);
    expect(simulator.state().stk).toHaveLength(0);
  });

  it('has no capture or cancel', async () => {
    const reference = { id: 'ws_CO_x' };
    const amount = { amountMinor: 100, currency: 'KES' };
    await expect(gateway.capture({ reference, amount, idempotencyKey: 'k' })).rejects.toMatchObject(
      { kind: 'invalid_request' },
    );
    await expect(gateway.cancel({ reference, idempotencyKey: 'k' })).rejects.toMatchObject({
      kind: 'invalid_request',
    });
  });

  it('reports a wrong passkey as misconfigured', async () => {
    const wrong = new MpesaGateway(mpesaConfigFor(simulator, { passkey: 'not-the-passkey' }));
    await expect(wrong.initiate(request(SUCCESS_PHONE))).rejects.toMatchObject({
      kind: 'misconfigured',
    });
  });

  it('gives duplicated callbacks the same gatewayEventId', async () => {
    simulator.server.faults.add({ action: 'callback_duplicate', count: 3 });
    const started = await gateway.initiate(request(SUCCESS_PHONE));
    simulator.completeStk(started.reference!.id);
    await simulator.server.callbacks.drain();
    const copies = callbacksFor(started.reference!.id);
    expect(copies).toHaveLength(3);
    const ids = await Promise.all(
      copies.map(async (copy) => (await gateway.parseWebhook(copy)).events[0].gatewayEventId),
    );
    expect(new Set(ids).size).toBe(1);
  });

  it('delivers held callbacks out of order, each still verifiable', async () => {
    simulator.server.faults.add({ action: 'callback_hold', times: 2 });
    const first = await gateway.initiate(request(SUCCESS_PHONE));
    const second = await gateway.initiate(request('254700001032'));
    simulator.completeStk(first.reference!.id);
    simulator.completeStk(second.reference!.id);
    expect(receiver.received).toHaveLength(0);
    await fetch(`${simulator.url}/__sim/callbacks/flush`, { method: 'POST' });
    const types = await Promise.all(
      receiver.received.map(async (w) => (await gateway.parseWebhook(w)).events[0].type),
    );
    expect(types).toEqual(['payment.declined', 'payment.captured']);
  });

  it('retries a callback our endpoint did not acknowledge', async () => {
    receiver.respondWith = { status: 500, body: 'oops' };
    const started = await gateway.initiate(request(SUCCESS_PHONE));
    simulator.completeStk(started.reference!.id);
    await receiver.waitFor((webhook) => webhook.rawBody.toString().includes(started.reference!.id));
    receiver.respondWith = { status: 200, body: '{"ResultCode":0,"ResultDesc":"Accepted"}' };
    await simulator.server.callbacks.drain();
    expect(callbacksFor(started.reference!.id).length).toBeGreaterThanOrEqual(2);
  });

  it('rejects a callback whose token was removed or changed', async () => {
    const started = await gateway.initiate(request(SUCCESS_PHONE));
    simulator.completeStk(started.reference!.id);
    const webhook = await receiver.waitFor((w) =>
      w.rawBody.toString().includes(started.reference!.id),
    );
    await expect(
      gateway.parseWebhook({ ...webhook, query: { ...webhook.query, token: 'forged' } }),
    ).rejects.toMatchObject({
      kind: 'invalid_webhook',
    });
    const { token: _removed, ...withoutToken } = webhook.query;
    await expect(gateway.parseWebhook({ ...webhook, query: withoutToken })).rejects.toMatchObject({
      kind: 'invalid_webhook',
    });
  });

  it('refunds in full by Reversal and partially by B2C, reporting both by ResultURL', async () => {
    const payment = await paid();
    const reference = payment.reference!;
    const amount = { amountMinor: 10_000, currency: 'KES' };
    const partial = await gateway.refund({
      reference,
      refundId: 'rf_part',
      amount: { amountMinor: 3_000, currency: 'KES' },
      capturedAmount: amount,
      callbackUrl: receiver.url('/refunds'),
    });
    expect(partial).toMatchObject({
      status: 'pending',
      refundReference: { id: 'rf_part', extra: { method: 'b2c' } },
    });
    const partialResult = await receiver.waitFor((w) => w.query.id === 'rf_part');
    expect((await gateway.parseWebhook(partialResult)).events[0]).toMatchObject({
      type: 'refund.succeeded',
      reference: { id: reference.id },
      refundReference: { id: 'rf_part' },
      amount: { amountMinor: 3_000, currency: 'KES' },
    });
    // The rest cannot be reversed in full any more: the simulator refuses more than what is left.
    await expect(
      gateway.refund({
        reference,
        refundId: 'rf_full',
        amount,
        capturedAmount: amount,
        callbackUrl: receiver.url('/refunds'),
      }),
    ).rejects.toMatchObject({ kind: 'rejected', gatewayErrorCode: '400.002.02' });
    expect(simulator.stk(reference.id)!.refundedKes).toBe(30);
  });

  it('asks Transaction Status for a pending refund and reads the answer from the ResultURL', async () => {
    const payment = await paid();
    const amount = { amountMinor: 10_000, currency: 'KES' };
    const refund = await gateway.refund({
      reference: payment.reference!,
      refundId: 'rf_status',
      amount,
      capturedAmount: amount,
      callbackUrl: receiver.url('/refunds'),
    });
    expect(refund.refundReference.extra?.method).toBe('reversal');
    expect(
      (await gateway.fetchRefundStatus(refund.refundReference, payment.reference!)).status,
    ).toBe('pending');
    expect(simulator.state().statusQueries).toBe(1);
    const status = await receiver.waitFor(
      (w) => w.query.id === 'rf_status' && w.rawBody.toString().includes('TransactionStatus'),
    );
    expect((await gateway.parseWebhook(status)).events[0]).toMatchObject({
      type: 'refund.succeeded',
      gatewayEventId: expect.stringMatching(/^status:/),
      refundReference: { id: 'rf_status' },
    });
  });

  it('reports a refund that fails later (fault refund_fails_later) as refund.failed', async () => {
    const payment = await paid();
    simulator.server.faults.add({ action: 'refund_fails_later' });
    const amount = { amountMinor: 10_000, currency: 'KES' };
    const refund = await gateway.refund({
      reference: payment.reference!,
      refundId: 'rf_fails',
      amount,
      capturedAmount: amount,
      callbackUrl: receiver.url('/refunds'),
    });
    expect(refund.status).toBe('pending');
    const result = await receiver.waitFor((w) => w.query.id === 'rf_fails');
    expect((await gateway.parseWebhook(result)).events[0]).toMatchObject({
      type: 'refund.failed',
      decline: { gatewayCode: 'R000002' },
    });
    expect(simulator.stk(payment.reference!.id)!.refundedKes).toBe(0);
  });

  it('reports a wrong initiator password by ResultCode 2001 on the ResultURL', async () => {
    const wrong = new MpesaGateway(mpesaConfigFor(simulator, { initiatorPassword: 'wrong' }));
    const outcome = await wrong.payout!({
      payoutId: 'po_badinit',
      amount: { amountMinor: 5_000, currency: 'KES' },
      recipient: { phone: SUCCESS_PHONE },
      callbackUrl: receiver.url('/payouts'),
    });
    expect(outcome.status).toBe('pending');
    const result = await receiver.waitFor((w) => w.query.id === 'po_badinit');
    expect((await gateway.parseWebhook(result)).events[0]).toMatchObject({
      type: 'payout.failed',
      decline: { gatewayCode: '2001' },
    });
  });

  it('pays out by B2C, treats a repeated payout id as the same payout, and reports unregistered customers', async () => {
    const payout = {
      payoutId: 'po_same',
      amount: { amountMinor: 5_000, currency: 'KES' },
      recipient: { phone: SUCCESS_PHONE },
      callbackUrl: receiver.url('/payouts'),
    };
    expect((await gateway.payout!(payout)).status).toBe('pending');
    expect((await gateway.payout!(payout)).status).toBe('pending');
    expect(
      simulator.state().moneyOut.filter((entry) => entry.originatorConversationId === 'po_same'),
    ).toHaveLength(1);

    await gateway.payout!({
      ...payout,
      payoutId: 'po_unreg',
      recipient: { phone: '254700002040' },
    });
    const result = await receiver.waitFor((w) => w.query.id === 'po_unreg');
    expect((await gateway.parseWebhook(result)).events[0]).toMatchObject({
      type: 'payout.failed',
      decline: { gatewayCode: '2040' },
    });
  });

  it('reports an unreachable gateway as unavailable and a hung STK push as an unknown outcome', async () => {
    simulator.server.faults.add({
      action: 'hang_after_commit',
      path: '^/mpesa/stkpush/',
      ms: 3_000,
    });
    const error = await gateway.initiate(request(SUCCESS_PHONE)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'timeout', outcomeUnknown: true });
    expect(simulator.state().stk).toHaveLength(1);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = new MpesaGateway(
      mpesaConfigFor(simulator, { baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 }),
    );
    await expect(down.initiate(request(SUCCESS_PHONE))).rejects.toMatchObject({
      kind: 'unavailable',
    });
  });

  it('answers an oversized body with 413', async () => {
    const response = await fetch(`${simulator.url}/mpesa/stkpush/v1/processrequest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(response.status).toBe(413);
  });

  it('is a gateway error, not a decline, when M-Pesa refuses the request itself', async () => {
    const error = await gateway
      .refund({
        reference: { id: 'ws_CO_unknown', extra: { phone: SUCCESS_PHONE } },
        refundId: 'rf_x',
        amount: { amountMinor: 100, currency: 'KES' },
        capturedAmount: { amountMinor: 10_000, currency: 'KES' },
        callbackUrl: 'not a url',
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).kind).toBe('invalid_request');
  });
});
