import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CancelRequest, InitiateRequest, RefundRequest } from '../payment-gateway';
import {
  encodeStripeForm,
  fromCardError,
  fromPaymentIntent,
  fromRefund,
  fromStripeEvent,
  readStripeError,
  STRIPE_DECLINE_RETRYABLE,
  STRIPE_ERROR_CODE_RULES,
  STRIPE_HANDLED_EVENT_TYPES,
  STRIPE_PAYMENT_INTENT_STATUS_MAP,
  STRIPE_REFUND_STATUS_MAP,
  stripeIdempotencyKey,
  toCancelParams,
  toChargeStatus,
  toDecline,
  toGatewayError,
  toPaymentIntentCreateParams,
  toRefundParams,
  toRefundStatus,
} from './stripe.mapper';
import {
  STRIPE_PAYMENT_INTENT_STATUSES,
  STRIPE_REFUND_STATUSES,
  type StripeError,
  type StripeEvent,
  type StripePaymentIntent,
  type StripeRefund,
} from './stripe.types';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8')) as T;

const PI_ID = 'pi_3PqRsT2eZvKYlo2C0x9aBcDe';
const CHARGE_ID = 'ch_3PqRsT2eZvKYlo2C0h1JkLmN';

describe('stripe mapper: requests', () => {
  const initiate: InitiateRequest = {
    attemptId: 'att_1',
    amount: { amountMinor: 1050, currency: 'USD' },
    captureMode: 'manual',
    paymentMethod: 'card',
    paymentMethodToken: 'pm_card_visa',
    description: 'Order 42',
    customer: { email: 'buyer@example.com' },
    returnUrl: 'https://shop.example.com/return?x=1&y=2',
    callbackUrl: 'https://shop.example.com/hooks',
    metadata: { order_id: '42' },
  };

  it('encodes nested params with brackets, lists with [] and skips undefined', () => {
    expect(
      encodeStripeForm({
        amount: 1000,
        metadata: { order_id: '42', note: 'a b&c' },
        expand: ['latest_charge', 'payment_method'],
        automatic_payment_methods: { enabled: true },
        items: [{ price: 'p_1', quantity: 2 }],
        skipped: undefined,
      }),
    ).toBe(
      'amount=1000&metadata%5Border_id%5D=42&metadata%5Bnote%5D=a%20b%26c' +
        '&expand%5B%5D=latest_charge&expand%5B%5D=payment_method' +
        '&automatic_payment_methods%5Benabled%5D=true&items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bquantity%5D=2',
    );
  });

  it('maps an initiate request to PaymentIntent create params in minor units and lowercase currency', () => {
    const params = toPaymentIntentCreateParams(initiate);
    expect(params).toMatchObject({
      amount: 1050,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      return_url: 'https://shop.example.com/return?x=1&y=2',
      metadata: { order_id: '42', attempt_id: 'att_1' },
    });
    expect(new URLSearchParams(encodeStripeForm(params)).get('metadata[attempt_id]')).toBe('att_1');
  });

  it('keeps JPY amounts whole (zero-decimal currency)', () => {
    const params = toPaymentIntentCreateParams({
      ...initiate,
      amount: { amountMinor: 500, currency: 'JPY' },
    });
    expect(params).toMatchObject({ amount: 500, currency: 'jpy' });
  });

  it('derives deterministic idempotency keys and hashes over-long ids to 255 chars or less', () => {
    expect(stripeIdempotencyKey('refund', 'rf_1')).toBe('payrail-refund-rf_1');
    expect(stripeIdempotencyKey('refund', 'rf_1')).toBe(stripeIdempotencyKey('refund', 'rf_1'));
    const long = stripeIdempotencyKey('pi', 'x'.repeat(400));
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long).toBe(stripeIdempotencyKey('pi', 'x'.repeat(400)));
  });

  it('passes only Stripe refund and cancel reasons, keeping free text in metadata', () => {
    const refund: RefundRequest = {
      reference: { id: PI_ID },
      refundId: 'rf_1',
      amount: { amountMinor: 500, currency: 'USD' },
      capturedAmount: { amountMinor: 2000, currency: 'USD' },
      reason: 'damaged in transit',
    };
    expect(toRefundParams(refund)).toEqual({
      payment_intent: PI_ID,
      amount: 500,
      reason: undefined,
      metadata: { refund_id: 'rf_1', payrail_reason: 'damaged in transit' },
    });
    expect(toRefundParams({ ...refund, reason: 'duplicate' })).toMatchObject({
      reason: 'duplicate',
    });
    const cancel: CancelRequest = {
      reference: { id: PI_ID },
      idempotencyKey: 'k',
      reason: 'abandoned',
    };
    expect(toCancelParams(cancel)).toEqual({ cancellation_reason: 'abandoned' });
    expect(toCancelParams({ ...cancel, reason: 'changed mind' })).toEqual({
      cancellation_reason: undefined,
    });
  });
});

describe('stripe mapper: payment intents', () => {
  it('maps every PaymentIntent status, and an unknown one to pending', () => {
    for (const status of STRIPE_PAYMENT_INTENT_STATUSES) {
      expect(STRIPE_PAYMENT_INTENT_STATUS_MAP[status]).toBeDefined();
    }
    expect(toChargeStatus('requires_capture')).toBe('authorized');
    expect(toChargeStatus('succeeded')).toBe('captured');
    expect(toChargeStatus('canceled')).toBe('cancelled');
    expect(toChargeStatus('some_future_status')).toBe('pending');
  });

  it('maps a succeeded intent to captured with amount_received', () => {
    expect(fromPaymentIntent(fixture('payment-intent.succeeded.json'))).toEqual({
      status: 'captured',
      reference: { id: PI_ID, extra: { charge: CHARGE_ID } },
      capturedAmount: { amountMinor: 2000, currency: 'USD' },
    });
  });

  it('maps requires_action with a card redirect to a three_ds next action', () => {
    const outcome = fromPaymentIntent(fixture('payment-intent.requires-action.json'));
    expect(outcome.status).toBe('requires_action');
    if (outcome.status !== 'requires_action') return;
    expect(outcome.nextAction.type).toBe('three_ds');
    expect(outcome.nextAction).toMatchObject({
      url: expect.stringContaining('hooks.stripe.com/3d_secure_2'),
    });
  });

  it('maps a non-card redirect to a redirect next action, and no usable action to pending', () => {
    const intent = fixture<StripePaymentIntent>('payment-intent.requires-action.json');
    expect(fromPaymentIntent({ ...intent, payment_method_types: ['ideal'] })).toMatchObject({
      status: 'requires_action',
      nextAction: { type: 'redirect' },
    });
    expect(fromPaymentIntent({ ...intent, next_action: null }).status).toBe('pending');
    expect(
      fromPaymentIntent({
        ...intent,
        next_action: {
          type: 'use_stripe_sdk',
          use_stripe_sdk: { stripe_js: 'https://hooks.stripe.com/3ds' },
        },
      }),
    ).toMatchObject({ nextAction: { type: 'three_ds', url: 'https://hooks.stripe.com/3ds' } });
  });

  it('maps requires_capture to authorized with amount_capturable', () => {
    expect(fromPaymentIntent(fixture('payment-intent.requires-capture.json'))).toMatchObject({
      status: 'authorized',
      authorizedAmount: { amountMinor: 2000, currency: 'USD' },
    });
  });

  it('maps requires_payment_method with last_payment_error to a decline', () => {
    expect(fromPaymentIntent(fixture('payment-intent.declined.json'))).toMatchObject({
      status: 'declined',
      reference: { id: PI_ID },
      decline: {
        gatewayCode: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
        retryable: false,
      },
    });
    const fresh = {
      ...fixture<StripePaymentIntent>('payment-intent.declined.json'),
      last_payment_error: null,
    };
    expect(fromPaymentIntent(fresh).status).toBe('pending');
  });

  it('maps canceled with its reason and processing to pending', () => {
    expect(fromPaymentIntent(fixture('payment-intent.canceled.json'))).toMatchObject({
      status: 'cancelled',
      reason: 'requested_by_customer',
    });
    expect(fromPaymentIntent(fixture('payment-intent.processing.json')).status).toBe('pending');
  });

  it('turns a 402 card error into a decline tied to its intent', () => {
    const envelope = fixture<{ error: StripeError }>('error.card-declined.402.json');
    expect(fromCardError(envelope.error)).toMatchObject({
      status: 'declined',
      reference: { id: PI_ID },
      decline: { gatewayCode: 'insufficient_funds', retryable: false },
    });
    expect(
      fromCardError({ ...envelope.error, payment_intent: undefined }).reference,
    ).toBeUndefined();
  });

  it('has a retry decision for every decline code and uses the code when decline_code is absent', () => {
    expect(
      Object.values(STRIPE_DECLINE_RETRYABLE).every((value) => typeof value === 'boolean'),
    ).toBe(true);
    expect(toDecline({ type: 'card_error', code: 'processing_error' })).toMatchObject({
      gatewayCode: 'processing_error',
      retryable: true,
    });
    expect(
      toDecline({ type: 'card_error', code: 'card_declined', decline_code: 'try_again_later' })
        .retryable,
    ).toBe(true);
    expect(
      toDecline({ type: 'card_error', code: 'card_declined', decline_code: 'brand_new_code' }),
    ).toMatchObject({
      gatewayCode: 'brand_new_code',
      retryable: false,
    });
    expect(toDecline({ type: 'card_error' }).gatewayCode).toBe('card_declined');
  });
});

describe('stripe mapper: errors', () => {
  const errorOf = (name: string): StripeError | undefined => readStripeError(fixture(name));

  it.each([
    ['error.invalid-api-key.401.json', 401, 'misconfigured', false],
    ['error.idempotency-mismatch.400.json', 400, 'rejected', false],
    ['error.resource-missing.404.json', 404, 'rejected', false],
    ['error.charge-already-refunded.400.json', 400, 'rejected', false],
    ['error.rate-limit.429.json', 429, 'unavailable', true],
    ['error.key-in-use.409.json', 409, 'unavailable', true],
    ['error.api-error.500.json', 500, 'timeout', true],
  ])('maps %s to %s', (name, status, kind, retryable) => {
    const error = toGatewayError(status, errorOf(name), 'test call');
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.gatewayCode).toBe('stripe');
    expect(error.httpStatus).toBe(status);
  });

  it('never repeats the masked key from a 401 and names the env var instead', () => {
    const error = toGatewayError(
      401,
      errorOf('error.invalid-api-key.401.json'),
      'create payment intent',
    );
    expect(error.message).toContain('STRIPE_SECRET_KEY');
    expect(error.message).not.toContain('sk_test_');
  });

  it('maps 403, 502/503 without an envelope, and every listed error code', () => {
    expect(toGatewayError(403, undefined, 'x').kind).toBe('misconfigured');
    expect(toGatewayError(503, undefined, 'x').kind).toBe('unavailable');
    expect(toGatewayError(502, { type: 'api_error' }, 'x').kind).toBe('unavailable');
    for (const [code, rule] of Object.entries(STRIPE_ERROR_CODE_RULES)) {
      const error = toGatewayError(400, { type: 'invalid_request_error', code }, 'x');
      expect(error.kind).toBe(rule.kind);
      expect(error.gatewayErrorCode).toBe(code);
    }
  });

  it('reads only a Stripe error envelope', () => {
    expect(readStripeError({ error: 'simulated outage' })).toBeUndefined();
    expect(readStripeError('text')).toBeUndefined();
    expect(readStripeError({ error: { type: 'api_error' } })).toEqual({ type: 'api_error' });
  });
});

describe('stripe mapper: refunds', () => {
  it('maps every refund status, and an unknown one to pending', () => {
    for (const status of STRIPE_REFUND_STATUSES)
      expect(STRIPE_REFUND_STATUS_MAP[status]).toBeDefined();
    expect(toRefundStatus('requires_action')).toBe('pending');
    expect(toRefundStatus('canceled')).toBe('failed');
    expect(toRefundStatus('new_status')).toBe('pending');
  });

  it('maps refund fixtures', () => {
    expect(fromRefund(fixture('refund.succeeded.json'))).toEqual({
      status: 'succeeded',
      refundReference: {
        id: 're_3PqRsT2eZvKYlo2C0r5StUvW',
        extra: { charge: CHARGE_ID, payment_intent: PI_ID },
      },
      amount: { amountMinor: 500, currency: 'USD' },
    });
    expect(fromRefund(fixture('refund.pending.json')).status).toBe('pending');
    expect(fromRefund(fixture('refund.failed.json'))).toMatchObject({
      status: 'failed',
      failure: { gatewayCode: 'expired_or_canceled_card' },
    });
    const canceled = { ...fixture<StripeRefund>('refund.pending.json'), status: 'canceled' };
    expect(fromRefund(canceled).failure?.gatewayCode).toBe('canceled');
  });
});

describe('stripe mapper: events', () => {
  const event = (name: string) => fromStripeEvent(fixture<StripeEvent>(name));

  it('maps payment_intent.succeeded to payment.captured with the attempt id', () => {
    expect(event('event.payment-intent.succeeded.json')).toEqual({
      gatewayCode: 'stripe',
      gatewayEventId: 'evt_3PqRsT2eZvKYlo2C0e1AaAaA',
      type: 'payment.captured',
      reference: { id: PI_ID, extra: { charge: CHARGE_ID } },
      attemptId: 'att_01HZX3Q5T7',
      amount: { amountMinor: 2000, currency: 'USD' },
      occurredAt: new Date(1700000200 * 1000),
      trust: 'signature',
    });
  });

  it('maps the other payment intent events', () => {
    expect(event('event.payment-intent.payment-failed.json')).toMatchObject({
      type: 'payment.declined',
      decline: { gatewayCode: 'insufficient_funds' },
    });
    expect(event('event.payment-intent.amount-capturable-updated.json')).toMatchObject({
      type: 'payment.authorized',
      amount: { amountMinor: 2000 },
    });
    expect(event('event.payment-intent.canceled.json')?.type).toBe('payment.cancelled');
  });

  it('maps charge.refunded to the newest refund and charge.refund.updated to its status', () => {
    expect(event('event.charge.refunded.json')).toMatchObject({
      type: 'refund.succeeded',
      reference: { id: PI_ID },
      amount: { amountMinor: 500, currency: 'USD' },
      refundReference: { id: 're_3PqRsT2eZvKYlo2C0r5StUvW' },
    });
    expect(event('event.charge.refund-updated.failed.json')).toMatchObject({
      type: 'refund.failed',
      refundReference: { id: 're_3PqRsT2eZvKYlo2C0r5StUvW' },
    });
  });

  it('maps dispute events to dispute.*', () => {
    expect(event('event.charge.dispute-created.json')).toMatchObject({
      type: 'dispute.opened',
      reference: { id: PI_ID },
      dispute: {
        disputeReference: 'dp_1PqRsT2eZvKYlo2CdIsPuTe1',
        reason: 'fraudulent',
        status: 'needs_response',
        amount: { amountMinor: 2000, currency: 'USD' },
      },
    });
    expect(event('event.charge.dispute-closed.json')).toMatchObject({
      type: 'dispute.closed',
      dispute: { status: 'lost' },
    });
  });

  it('acknowledges but ignores event types we do not translate', () => {
    expect(event('event.charge.succeeded.json')).toBeUndefined();
    expect(STRIPE_HANDLED_EVENT_TYPES).toEqual(
      expect.arrayContaining([
        'payment_intent.succeeded',
        'charge.refunded',
        'charge.dispute.closed',
      ]),
    );
  });
});
