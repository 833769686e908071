import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../gateway.error';
import type { InitiateRequest } from '../payment-gateway';
import {
  classifyPaypalError,
  orderToOutcome,
  PAYPAL_ERROR_NAMES,
  PAYPAL_EVENT_MAPPERS,
  PAYPAL_ISSUES,
  payoutBatchToOutcome,
  refundToOutcome,
  captureToOutcome,
  toAuthorizationMeaning,
  toCaptureMeaning,
  toGatewayEvents,
  toOrderMeaning,
  toOrderRequest,
  toPaypalMoney,
  toPayoutBatchStatus,
  toPayoutItemStatus,
  toRefundStatus,
  toRequestId,
  fromPaypalMoney,
  isPaypalAmount,
} from './paypal.mapper';
import type {
  PaypalOrder,
  PaypalPayoutBatch,
  PaypalRefund,
  PaypalWebhookEvent,
  PaypalCapture,
} from './paypal.types';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8')) as T;

const initiate: InitiateRequest = {
  attemptId: 'att_1001',
  amount: { amountMinor: 1000, currency: 'USD' },
  captureMode: 'automatic',
  paymentMethod: 'paypal',
  description: 'Order 1001',
  customer: { email: 'buyer@example.com' },
  returnUrl: 'https://shop.example.com/pp/return',
  cancelUrl: 'https://shop.example.com/pp/cancel',
  callbackUrl: 'https://shop.example.com/webhooks/paypal',
};

describe('paypal mapper', () => {
  describe('money', () => {
    it('formats minor units as PayPal decimal strings per currency', () => {
      expect(toPaypalMoney({ amountMinor: 1000, currency: 'USD' })).toEqual({
        currency_code: 'USD',
        value: '10.00',
      });
      expect(toPaypalMoney({ amountMinor: 1500, currency: 'JPY' })).toEqual({
        currency_code: 'JPY',
        value: '1500',
      });
      expect(toPaypalMoney({ amountMinor: 5, currency: 'EUR' })).toEqual({
        currency_code: 'EUR',
        value: '0.05',
      });
    });

    it('sends HUF and TWD as whole units and refuses fractions of them', () => {
      expect(toPaypalMoney({ amountMinor: 150_000, currency: 'HUF' })).toEqual({
        currency_code: 'HUF',
        value: '1500',
      });
      expect(isPaypalAmount({ amountMinor: 150_050, currency: 'HUF' })).toBe(false);
      expect(() => toPaypalMoney({ amountMinor: 150_050, currency: 'TWD' })).toThrow();
      expect(fromPaypalMoney({ currency_code: 'HUF', value: '1500' })).toEqual({
        amountMinor: 150_000,
        currency: 'HUF',
      });
    });

    it('reads PayPal amounts without floats and rejects garbage as bad_response', () => {
      expect(fromPaypalMoney({ currency_code: 'USD', value: '0.29' })).toEqual({
        amountMinor: 29,
        currency: 'USD',
      });
      expect(() => fromPaypalMoney({ currency_code: 'USD', value: '1e3' })).toThrow(GatewayError);
    });
  });

  describe('requests', () => {
    it('builds a CAPTURE order echoing the attempt id, with return and cancel URLs', () => {
      const body = toOrderRequest(initiate, 'Shop');
      expect(body.intent).toBe('CAPTURE');
      expect(body.purchase_units[0]).toMatchObject({
        custom_id: 'att_1001',
        invoice_id: 'att_1001',
        amount: { currency_code: 'USD', value: '10.00' },
      });
      expect(body.payment_source?.paypal?.experience_context).toMatchObject({
        return_url: initiate.returnUrl,
        cancel_url: initiate.cancelUrl,
        brand_name: 'Shop',
        user_action: 'PAY_NOW',
      });
    });

    it('builds an AUTHORIZE order for manual capture', () => {
      expect(toOrderRequest({ ...initiate, captureMode: 'manual' }).intent).toBe('AUTHORIZE');
    });

    it('derives PayPal-Request-Id deterministically and within 108 characters', () => {
      const hash = (value: string) => `h${value.length}`.padEnd(64, '0');
      expect(toRequestId('refund', 'rf_1', hash)).toBe('payrail-refund-rf_1');
      expect(toRequestId('refund', 'rf_1', hash)).toBe(toRequestId('refund', 'rf_1', hash));
      const long = toRequestId('refund', 'x'.repeat(200), hash);
      expect(long.length).toBeLessThanOrEqual(108);
    });
  });

  describe('status maps', () => {
    it('maps every order status, unknown to pending', () => {
      expect(
        ['CREATED', 'PAYER_ACTION_REQUIRED', 'SAVED', 'APPROVED', 'VOIDED', 'COMPLETED'].map(
          toOrderMeaning,
        ),
      ).toEqual([
        'requires_action',
        'requires_action',
        'pending',
        'pending',
        'cancelled',
        'payments',
      ]);
      expect(toOrderMeaning('SOMETHING_NEW')).toBe('pending');
    });

    it('counts only completed captures (and their refunded forms) as captured', () => {
      expect(
        ['COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'PENDING', 'DECLINED', 'FAILED', 'NEW'].map(
          toCaptureMeaning,
        ),
      ).toEqual(['captured', 'captured', 'captured', 'pending', 'declined', 'declined', 'pending']);
    });

    it('maps every authorization, refund and payout status', () => {
      expect(
        ['CREATED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PENDING', 'DENIED', 'VOIDED', '?'].map(
          toAuthorizationMeaning,
        ),
      ).toEqual([
        'authorized',
        'authorized',
        'captured',
        'pending',
        'declined',
        'cancelled',
        'pending',
      ]);
      expect(['COMPLETED', 'PENDING', 'FAILED', 'CANCELLED', '?'].map(toRefundStatus)).toEqual([
        'succeeded',
        'pending',
        'failed',
        'failed',
        'pending',
      ]);
      expect(
        [
          'SUCCESS',
          'PENDING',
          'NEW',
          'ONHOLD',
          'UNCLAIMED',
          'FAILED',
          'RETURNED',
          'BLOCKED',
          'REFUNDED',
          'REVERSED',
          'DENIED',
          'CANCELED',
          '?',
        ].map(toPayoutItemStatus),
      ).toEqual([
        'succeeded',
        'pending',
        'pending',
        'pending',
        'pending',
        'failed',
        'failed',
        'failed',
        'failed',
        'failed',
        'failed',
        'failed',
        'pending',
      ]);
      expect(
        ['PENDING', 'PROCESSING', 'SUCCESS', 'DENIED', 'CANCELED', '?'].map(toPayoutBatchStatus),
      ).toEqual(['pending', 'pending', 'pending', 'failed', 'failed', 'pending']);
    });
  });

  describe('outcomes', () => {
    it('turns a created order into an approval next action', () => {
      const outcome = orderToOutcome(fixture<PaypalOrder>('order-created.json'));
      expect(outcome).toEqual({
        status: 'requires_action',
        reference: { id: '5O190127TN364715T', extra: { intent: 'CAPTURE' } },
        nextAction: {
          type: 'approval',
          url: 'https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T',
        },
      });
    });

    it('reads a captured order: the capture id goes into the reference', () => {
      expect(orderToOutcome(fixture<PaypalOrder>('order-captured.json'))).toEqual({
        status: 'captured',
        reference: {
          id: '5O190127TN364715T',
          extra: { intent: 'CAPTURE', captureId: '3C679366HH908993F' },
        },
        capturedAmount: { amountMinor: 1000, currency: 'USD' },
      });
    });

    it('does not trust a COMPLETED order whose capture was declined', () => {
      const outcome = orderToOutcome(fixture<PaypalOrder>('order-capture-declined.json'));
      expect(outcome.status).toBe('declined');
      if (outcome.status === 'declined')
        expect(outcome.decline).toMatchObject({ gatewayCode: 'OTHER', retryable: true });
    });

    it('reads an authorized order in a zero-decimal currency', () => {
      expect(orderToOutcome(fixture<PaypalOrder>('order-authorized.json'))).toEqual({
        status: 'authorized',
        reference: {
          id: '1AB23456CD789012E',
          extra: { intent: 'AUTHORIZE', authorizationId: '0VF52814937998046' },
        },
        authorizedAmount: { amountMinor: 1500, currency: 'JPY' },
      });
    });

    it('treats a pending (eCheck) capture as pending', () => {
      const outcome = captureToOutcome(fixture<PaypalCapture>('capture-pending.json'), {
        id: '5O190127TN364715T',
      });
      expect(outcome).toEqual({
        status: 'pending',
        reference: { id: '5O190127TN364715T', extra: { captureId: '2GG279541U471931P' } },
      });
    });

    it('maps a refund and a payout batch', () => {
      expect(
        refundToOutcome(fixture<PaypalRefund>('refund-completed.json'), '3C679366HH908993F'),
      ).toEqual({
        status: 'succeeded',
        refundReference: { id: '1JU08902781691411', extra: { captureId: '3C679366HH908993F' } },
        amount: { amountMinor: 250, currency: 'USD' },
      });
      expect(
        payoutBatchToOutcome(fixture<PaypalPayoutBatch>('payout-batch.json'), {
          amountMinor: 1000,
          currency: 'USD',
        }),
      ).toEqual({
        status: 'succeeded',
        payoutReference: { id: 'FYXMPQTX4JC9N', extra: { payoutItemId: '8AELMXH8UB2P8' } },
        amount: { amountMinor: 1000, currency: 'USD' },
      });
    });
  });

  describe('errors', () => {
    it('classifies INSTRUMENT_DECLINED as a retryable decline', () => {
      const classified = classifyPaypalError(422, fixture('error-instrument-declined.json'));
      expect(classified).toMatchObject({
        code: 'INSTRUMENT_DECLINED',
        debugId: 'd56ca3c211112',
        meaning: { outcome: 'decline', retryable: true },
      });
    });

    it('classifies a refund past the captured amount as rejected', () => {
      expect(classifyPaypalError(422, fixture('error-refund-exceeded.json')).meaning).toEqual({
        outcome: 'error',
        kind: 'rejected',
        retryable: undefined,
      });
    });

    it('maps every documented issue and name to a decline or an error kind', () => {
      const issues = Object.keys(PAYPAL_ISSUES);
      for (const issue of [
        'ORDER_NOT_APPROVED',
        'ORDER_ALREADY_CAPTURED',
        'INSTRUMENT_DECLINED',
        'PAYER_ACTION_REQUIRED',
        'TRANSACTION_REFUSED',
        'DUPLICATE_INVOICE_ID',
        'PAYER_CANNOT_PAY',
        'MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED',
        'COMPLIANCE_VIOLATION',
        'PAYEE_BLOCKED_TRANSACTION',
        'ORDER_COMPLETION_IN_PROGRESS',
        'TRANSACTION_LIMIT_EXCEEDED',
        'INVALID_PARAMETER_SYNTAX',
        'INVALID_PARAMETER_VALUE',
        'INVALID_STRING_LENGTH',
        'MALFORMED_REQUEST_JSON',
        'MISSING_REQUIRED_PARAMETER',
        'PERMISSION_DENIED',
        'CONSENT_NEEDED',
        'PAYMENT_DENIED',
        'CANNOT_BE_VOIDED',
        'PREVIOUSLY_CAPTURED',
        'PREVIOUSLY_VOIDED',
        'CAPTURE_FULLY_REFUNDED',
        'REFUND_AMOUNT_EXCEEDED',
        'REFUND_TIME_LIMIT_EXCEEDED',
        'PARTIAL_REFUND_NOT_ALLOWED',
        'REFUND_NOT_ALLOWED',
        'TRANSACTION_DISPUTED',
        'REFUND_NOT_PERMITTED_DUE_TO_CHARGEBACK',
        'PENDING_CAPTURE',
        'CURRENCY_MISMATCH',
        'DECIMAL_PRECISION',
        'DECIMALS_NOT_SUPPORTED',
        'CANNOT_BE_ZERO_OR_NEGATIVE',
        'REFUND_FAILED_INSUFFICIENT_FUNDS',
        'MAX_NUMBER_OF_REFUNDS_EXCEEDED',
        'REFUND_AMOUNT_TOO_LOW',
      ]) {
        expect(issues).toContain(issue);
      }
      for (const name of [
        'INVALID_REQUEST',
        'AUTHENTICATION_FAILURE',
        'NOT_AUTHORIZED',
        'RESOURCE_NOT_FOUND',
        'RESOURCE_CONFLICT',
        'UNSUPPORTED_MEDIA_TYPE',
        'UNPROCESSABLE_ENTITY',
        'INTERNAL_SERVER_ERROR',
        'SERVICE_UNAVAILABLE',
      ]) {
        expect(Object.keys(PAYPAL_ERROR_NAMES)).toContain(name);
      }
      expect(
        classifyPaypalError(403, {
          name: 'NOT_AUTHORIZED',
          message: 'x',
          details: [{ issue: 'PERMISSION_DENIED' }],
        }).meaning,
      ).toMatchObject({ kind: 'misconfigured' });
      expect(
        classifyPaypalError(503, { name: 'SERVICE_UNAVAILABLE', message: 'x' }).meaning,
      ).toMatchObject({ kind: 'unavailable' });
      expect(
        classifyPaypalError(422, {
          name: 'UNPROCESSABLE_ENTITY',
          message: 'x',
          details: [{ issue: 'PENDING_CAPTURE' }],
        }).meaning,
      ).toEqual({
        outcome: 'error',
        kind: 'rejected',
        retryable: true,
      });
    });

    it('falls back on the HTTP status for unknown or missing envelopes', () => {
      expect(classifyPaypalError(502, undefined)).toMatchObject({
        code: 'HTTP_502',
        meaning: { kind: 'unavailable' },
      });
      expect(
        classifyPaypalError(409, { name: 'SOMETHING_ELSE', message: 'x' }).meaning,
      ).toMatchObject({ kind: 'rejected' });
      expect(classifyPaypalError(401, {}).meaning).toMatchObject({ kind: 'misconfigured' });
    });
  });

  describe('webhook events', () => {
    it('maps PAYMENT.CAPTURE.COMPLETED to payment.captured on the order', () => {
      const [event] = toGatewayEvents(
        fixture<PaypalWebhookEvent>('webhook-capture-completed.json'),
      );
      expect(event).toMatchObject({
        gatewayCode: 'paypal',
        gatewayEventId: 'WH-58D329510W468432D-8HN650336L201105X',
        type: 'payment.captured',
        reference: { id: '5O190127TN364715T', extra: { captureId: '3C679366HH908993F' } },
        attemptId: 'att_1001',
        amount: { amountMinor: 1000, currency: 'USD' },
        trust: 'signature',
      });
    });

    it('maps PAYMENT.CAPTURE.REFUNDED to refund.succeeded, finding the capture from the up link', () => {
      const [event] = toGatewayEvents(fixture<PaypalWebhookEvent>('webhook-capture-refunded.json'));
      expect(event).toMatchObject({
        type: 'refund.succeeded',
        reference: { extra: { captureId: '3C679366HH908993F' } },
        refundReference: { id: '1JU08902781691411' },
        amount: { amountMinor: 250, currency: 'USD' },
      });
    });

    it('maps dispute events to dispute.* with the attempt id from the disputed transaction', () => {
      const [opened] = toGatewayEvents(fixture<PaypalWebhookEvent>('webhook-dispute-created.json'));
      expect(opened).toMatchObject({
        type: 'dispute.opened',
        attemptId: 'att_1001',
        reference: { id: '3C679366HH908993F' },
        dispute: {
          disputeReference: 'PP-D-27803',
          reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
          status: 'OPEN',
        },
      });
      const [closed] = toGatewayEvents(
        fixture<PaypalWebhookEvent>('webhook-dispute-resolved.json'),
      );
      expect(closed).toMatchObject({
        type: 'dispute.closed',
        dispute: { status: 'RESOLVED_SELLER_FAVOUR' },
      });
    });

    it('maps payout, authorization and order events', () => {
      expect(toGatewayEvents(fixture('webhook-payout-item-succeeded.json'))[0]).toMatchObject({
        type: 'payout.succeeded',
        payoutReference: { id: 'FYXMPQTX4JC9N', extra: { payoutItemId: '8AELMXH8UB2P8' } },
        attemptId: 'po_1001',
      });
      expect(toGatewayEvents(fixture('webhook-authorization-voided.json'))[0]).toMatchObject({
        type: 'payment.cancelled',
        reference: { id: '1AB23456CD789012E', extra: { authorizationId: '0VF52814937998046' } },
        amount: { amountMinor: 1500, currency: 'JPY' },
      });
      expect(toGatewayEvents(fixture('webhook-order-approved.json'))[0]).toMatchObject({
        type: 'payment.pending',
        reference: { id: '5O190127TN364715T' },
        attemptId: 'att_1001',
      });
    });

    it('covers every subscribed event type and ignores unknown ones', () => {
      for (const type of [
        'PAYMENT.CAPTURE.COMPLETED',
        'PAYMENT.CAPTURE.DENIED',
        'PAYMENT.CAPTURE.PENDING',
        'PAYMENT.CAPTURE.REFUNDED',
        'PAYMENT.CAPTURE.REVERSED',
        'CHECKOUT.ORDER.APPROVED',
        'PAYMENT.AUTHORIZATION.CREATED',
        'PAYMENT.AUTHORIZATION.VOIDED',
        'CUSTOMER.DISPUTE.CREATED',
        'CUSTOMER.DISPUTE.UPDATED',
        'CUSTOMER.DISPUTE.RESOLVED',
        'PAYMENT.PAYOUTS-ITEM.SUCCEEDED',
        'PAYMENT.PAYOUTS-ITEM.FAILED',
      ]) {
        expect(Object.keys(PAYPAL_EVENT_MAPPERS)).toContain(type);
      }
      expect(
        toGatewayEvents({ id: 'WH-1', event_type: 'BILLING.PLAN.CREATED', resource: {} }),
      ).toEqual([]);
    });
  });
});
