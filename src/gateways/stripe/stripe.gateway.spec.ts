// @nestjs/common ships as ESM, which jest cannot require() without --experimental-vm-modules; the
// HTTP client only needs its Logger, recorded here so the specs can check no secret is ever logged.
jest.mock('@nestjs/common', () => {
  const messages: string[] = [];
  class Logger {
    static readonly messages = messages;
    constructor(readonly context?: string) {}
    log(message: string): void {
      messages.push(String(message));
    }
    debug(message: string): void {
      messages.push(String(message));
    }
    warn(message: string): void {
      messages.push(String(message));
    }
    error(message: string): void {
      messages.push(String(message));
    }
  }
  return { Logger };
});

import { Logger } from '@nestjs/common';
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
import { createStripeSimulator, type StripeSimulator } from './simulator/stripe.simulator';
import type { StripeConfig } from './stripe.config';
import { StripeGateway } from './stripe.gateway';

const SECRET_KEY = 'sk_test_payrail_simulator_key';
const WEBHOOK_SECRET = 'whsec_payrail_simulator_secret';

function gatewayConfig(baseUrl: string, overrides: Partial<StripeConfig> = {}): StripeConfig {
  return {
    baseUrl,
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
    timeoutMs: 1_000,
    maxRetries: 2,
    retryBaseDelayMs: 10,
    webhookToleranceSeconds: 300,
    ...overrides,
  };
}

function stripeRequest(
  paymentMethodToken: string,
  overrides: Partial<InitiateRequest> = {},
): InitiateRequest {
  return {
    attemptId: uniqueId('att'),
    amount: { amountMinor: 2_000, currency: 'USD' },
    captureMode: 'automatic',
    paymentMethod: 'card',
    paymentMethodToken,
    description: 'Payrail test order',
    customer: { email: 'buyer@example.com' },
    returnUrl: 'https://shop.example.com/payments/return',
    callbackUrl: 'https://shop.example.com/webhooks/stripe',
    ...overrides,
  };
}

/** Plays the customer on the hosted 3DS page: GET it, then POST its Complete or Fail button. */
async function passThreeDs(
  outcome: ChargeOutcome,
  choice: 'approve' | 'decline',
): Promise<Response> {
  if (outcome.status !== 'requires_action' || outcome.nextAction.type !== 'three_ds') {
    throw new Error(`no 3DS step for ${outcome.status}`);
  }
  const page = await fetch(outcome.nextAction.url);
  const body = await page.text();
  expect(body).toContain('name="outcome"');
  return fetch(outcome.nextAction.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `outcome=${choice === 'approve' ? 'complete' : 'fail'}`,
    redirect: 'manual',
  });
}

function createHarness(): GatewayHarness & { simulator: () => StripeSimulator } {
  let simulator: StripeSimulator | undefined;
  const sim = (): StripeSimulator => {
    if (!simulator) throw new Error('simulator not started');
    return simulator;
  };
  return {
    simulator: sim,
    amount: { amountMinor: 2_000, currency: 'USD' },
    signedWebhooks: true,
    paths: { refund: '^/v1/refunds$', status: '^/v1/payment_intents/[^/]+$' },
    async start(receiver: WebhookReceiver): Promise<PaymentGateway> {
      simulator = createStripeSimulator({
        secretKey: SECRET_KEY,
        webhookSecret: WEBHOOK_SECRET,
        webhookUrl: receiver.url('/webhooks/stripe'),
        callbackRetryDelaysMs: [20, 50],
        refundSettleDelayMs: 20,
      });
      await simulator.listen(0);
      return new StripeGateway(gatewayConfig(simulator.url));
    },
    async stop(): Promise<void> {
      await simulator?.close();
    },
    async reset(): Promise<void> {
      await sim().drainCallbacks();
      sim().reset();
    },
    request(kind, overrides = {}) {
      // Approvals go through 3DS so every payment exercises the hosted challenge page.
      const token = kind === 'approve' ? 'pm_card_threeDSecure2Required' : 'pm_card_chargeDeclined';
      return stripeRequest(token, overrides);
    },
    async act(outcome, choice) {
      if (outcome.status !== 'requires_action') return;
      const response = await passThreeDs(outcome, choice);
      expect(response.status).toBe(302);
    },
    complete(gateway, outcome) {
      if (!outcome.reference) return Promise.resolve(outcome);
      return gateway.fetchStatus(outcome.reference);
    },
    async fault(fault) {
      sim().fault(fault);
    },
    async refundedTotalMinor(reference) {
      return sim().refundedTotalMinor(reference.id);
    },
    tamper(webhook: RawWebhook): RawWebhook {
      const body = webhook.rawBody
        .toString('utf8')
        .replace('"livemode": false', '"livemode": true');
      return { ...webhook, rawBody: Buffer.from(body, 'utf8') };
    },
  };
}

runGatewayContract('stripe', createHarness());

describe('StripeGateway against the simulator (Stripe specifics)', () => {
  const receiver = new WebhookReceiver();
  let simulator: StripeSimulator;
  let gateway: StripeGateway;

  beforeAll(async () => {
    await receiver.start();
    simulator = createStripeSimulator({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: receiver.url('/webhooks/stripe'),
      callbackRetryDelaysMs: [20, 50],
      refundSettleDelayMs: 20,
    });
    await simulator.listen(0);
    gateway = new StripeGateway(gatewayConfig(simulator.url));
  });
  afterAll(async () => {
    await simulator.close();
    await receiver.stop();
  });
  beforeEach(async () => {
    await simulator.drainCallbacks();
    simulator.reset();
    receiver.clear();
    receiver.respondWith = { status: 200, body: '{"received":true}' };
  });

  const pay = (token = 'pm_card_visa', overrides: Partial<InitiateRequest> = {}) =>
    gateway.initiate(stripeRequest(token, overrides));

  const parsedEvents = async () => {
    await simulator.drainCallbacks();
    const events = [];
    for (const webhook of receiver.received)
      events.push(...(await gateway.parseWebhook(webhook)).events);
    return events;
  };

  it('reports wrong credentials as misconfigured without leaking the key', async () => {
    const wrong = new StripeGateway(
      gatewayConfig(simulator.url, { secretKey: 'sk_test_wrong_key_1234' }),
    );
    const error = await wrong
      .initiate(stripeRequest('pm_card_visa'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).kind).toBe('misconfigured');
    expect((error as GatewayError).httpStatus).toBe(401);
    expect((error as GatewayError).message).toContain('STRIPE_SECRET_KEY');
    expect((error as GatewayError).message).not.toContain('sk_test_wrong_key_1234');
    expect(simulator.state().paymentIntents).toHaveLength(0);
  });

  it('captures at once with pm_card_visa and sends a signed payment_intent.succeeded', async () => {
    const outcome = await pay();
    expect(outcome).toMatchObject({
      status: 'captured',
      capturedAmount: { amountMinor: 2_000, currency: 'USD' },
    });
    const events = await parsedEvents();
    const captured = events.find((event) => event.type === 'payment.captured');
    expect(captured).toMatchObject({
      gatewayCode: 'stripe',
      trust: 'signature',
      reference: { id: outcome.reference?.id },
    });
    expect(captured?.attemptId).toMatch(/^att/);
  });

  it.each([
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds', false],
    ['pm_card_chargeDeclinedLostCard', 'lost_card', false],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', false],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', true],
  ])('declines %s with %s (retryable %s)', async (token, code, retryable) => {
    const outcome = await pay(token);
    expect(outcome).toMatchObject({
      status: 'declined',
      decline: { gatewayCode: code, retryable },
    });
    const status = await gateway.fetchStatus(outcome.reference!);
    expect(status).toMatchObject({ status: 'declined', decline: { gatewayCode: code } });
    const events = await parsedEvents();
    expect(events.find((event) => event.type === 'payment.declined')?.decline?.gatewayCode).toBe(
      code,
    );
  });

  it('returns a three_ds next action and a failed challenge ends as a decline', async () => {
    const outcome = await pay('pm_card_threeDSecure2Required');
    expect(outcome.status).toBe('requires_action');
    if (outcome.status !== 'requires_action') return;
    expect(outcome.nextAction.type).toBe('three_ds');
    const response = await passThreeDs(outcome, 'decline');
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://shop.example.com/payments/return');
    expect(location.searchParams.get('redirect_status')).toBe('failed');
    expect(await gateway.fetchStatus(outcome.reference)).toMatchObject({
      status: 'declined',
      decline: { gatewayCode: 'payment_intent_authentication_failure' },
    });
  });

  it('declines after a completed challenge for the 3DS-then-insufficient-funds card', async () => {
    const outcome = await pay('pm_card_authenticationRequiredChargeDeclinedInsufficientFunds');
    await passThreeDs(outcome, 'approve');
    expect(await gateway.fetchStatus(outcome.reference!)).toMatchObject({
      status: 'declined',
      decline: { gatewayCode: 'insufficient_funds' },
    });
  });

  it('authorizes with manual capture and announces amount_capturable_updated', async () => {
    const outcome = await pay('pm_card_visa', { captureMode: 'manual' });
    expect(outcome).toMatchObject({
      status: 'authorized',
      authorizedAmount: { amountMinor: 2_000 },
    });
    const events = await parsedEvents();
    expect(events.map((event) => event.type)).toContain('payment.authorized');
    const over = await gateway
      .capture({
        reference: outcome.reference!,
        amount: { amountMinor: 2_500, currency: 'USD' },
        idempotencyKey: uniqueId('cap'),
      })
      .catch((caught: unknown) => caught);
    expect(over).toMatchObject({ kind: 'rejected', gatewayErrorCode: 'amount_too_large' });
  });

  it('refuses to cancel a captured payment as rejected', async () => {
    const outcome = await pay();
    const error = await gateway
      .cancel({ reference: outcome.reference!, idempotencyKey: uniqueId('void') })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      kind: 'rejected',
      gatewayErrorCode: 'payment_intent_unexpected_state',
    });
  });

  it('reports a refund that fails later through charge.refund.updated and the refund status', async () => {
    const outcome = await pay();
    simulator.fault({ action: 'refund_fails_later', ms: 5_000 });
    const refund = await gateway.refund({
      reference: outcome.reference!,
      refundId: uniqueId('rf'),
      amount: { amountMinor: 500, currency: 'USD' },
      capturedAmount: { amountMinor: 2_000, currency: 'USD' },
    });
    expect(refund.status).toBe('succeeded');
    simulator.settleRefunds();
    const later = await gateway.fetchRefundStatus(refund.refundReference, outcome.reference!);
    expect(later).toMatchObject({
      status: 'failed',
      failure: { gatewayCode: 'expired_or_canceled_card' },
    });
    expect(simulator.refundedTotalMinor(outcome.reference!.id)).toBe(0);
    const events = await parsedEvents();
    const failed = events.find((event) => event.type === 'refund.failed');
    expect(failed?.refundReference?.id).toBe(refund.refundReference.id);
  });

  it('starts a refund pending for the async-refund card and settles it', async () => {
    const outcome = await pay('pm_card_pendingRefund');
    const refund = await gateway.refund({
      reference: outcome.reference!,
      refundId: uniqueId('rf'),
      amount: { amountMinor: 2_000, currency: 'USD' },
      capturedAmount: { amountMinor: 2_000, currency: 'USD' },
    });
    expect(refund.status).toBe('pending');
    simulator.settleRefunds();
    expect(
      (await gateway.fetchRefundStatus(refund.refundReference, outcome.reference!)).status,
    ).toBe('succeeded');
    const types = (await parsedEvents()).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['refund.pending', 'refund.succeeded']));
  });

  it('parses dispute events for the dispute card and a control-route dispute', async () => {
    const outcome = await pay('pm_card_createDispute');
    const events = await parsedEvents();
    const opened = events.find((event) => event.type === 'dispute.opened');
    expect(opened).toMatchObject({
      reference: { id: outcome.reference!.id },
      dispute: {
        reason: 'fraudulent',
        status: 'needs_response',
        amount: { amountMinor: 2_000, currency: 'USD' },
      },
    });
    const response = await fetch(
      `${simulator.url}/__sim/disputes/${opened!.dispute!.disputeReference}/close`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'won' }),
      },
    );
    expect(response.status).toBe(200);
    const closed = (await parsedEvents()).find((event) => event.type === 'dispute.closed');
    expect(closed?.dispute?.status).toBe('won');
  });

  it('recognises duplicated deliveries by an identical gatewayEventId', async () => {
    simulator.fault({ action: 'callback_duplicate', count: 3, times: 10 });
    const outcome = await pay();
    const captured = (await parsedEvents()).filter(
      (event) => event.type === 'payment.captured' && event.reference.id === outcome.reference!.id,
    );
    expect(captured).toHaveLength(3);
    expect(new Set(captured.map((event) => event.gatewayEventId)).size).toBe(1);
  });

  it('redelivers a webhook our endpoint refused, with a fresh valid signature', async () => {
    receiver.respondWith = { status: 500, body: 'busy' };
    const outcome = await pay();
    await simulator.drainCallbacks();
    const attempts = receiver.received.length;
    expect(attempts).toBeGreaterThan(1);
    const events = await parsedEvents();
    expect(
      events.filter((event) => event.reference.id === outcome.reference!.id).length,
    ).toBeGreaterThan(0);
  });

  it('never logs the secret key or the webhook secret', async () => {
    await pay();
    await new StripeGateway(gatewayConfig(simulator.url, { secretKey: 'sk_test_wrong_key_1234' }))
      .initiate(stripeRequest('pm_card_visa'))
      .catch(() => undefined);
    const messages = (Logger as unknown as { messages: string[] }).messages;
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message).not.toContain('sk_test_');
      expect(message).not.toContain('whsec_');
    }
  });

  it('delivers held callbacks out of order after a flush', async () => {
    simulator.fault({ action: 'callback_hold', times: 10 });
    await pay();
    expect(receiver.received).toHaveLength(0);
    await fetch(`${simulator.url}/__sim/callbacks/flush`, { method: 'POST' });
    const types = (await parsedEvents()).map((event) => event.type);
    expect(types[0]).toBe('payment.captured');
  });
});
