import { createHash } from 'node:crypto';
import type { Money } from '../../common/money/money';
import { GatewayError } from '../gateway.error';
import type {
  CancelRequest,
  CaptureRequest,
  ChargeOutcome,
  GatewayCapabilities,
  GatewayReference,
  InitiateRequest,
  ParsedWebhook,
  PaymentGateway,
  PayoutOutcome,
  PayoutRequest,
  RawWebhook,
  RefundOutcome,
  RefundRequest,
} from '../payment-gateway';
import { PaypalClient, PaypalRequestError } from './paypal.client';
import type { PaypalConfig } from './paypal.config';
import {
  authorizationToOutcome,
  captureToOutcome,
  intentOf,
  isPaypalAmount,
  orderToOutcome,
  PAYPAL_CURRENCIES,
  payoutBatchToOutcome,
  refundToOutcome,
  toGatewayEvents,
  toOrderRequest,
  toPaypalMoney,
  toPayoutRequest,
  toRefundRequest,
  toRequestId,
} from './paypal.mapper';
import type { PaypalOrder } from './paypal.types';
import { PaypalWebhookVerifier } from './paypal.webhook-verifier';

// Per-transaction ceiling we apply (PayPal's own limits depend on the account) [I].
const MAX_AMOUNT_MINOR: Readonly<Record<string, number>> = {
  USD: 1_000_000,
  EUR: 1_000_000,
  GBP: 1_000_000,
  CAD: 1_000_000,
  AUD: 1_000_000,
};

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

const invalidRequest = (message: string): GatewayError =>
  new GatewayError('invalid_request', `paypal: ${message}`, { gatewayCode: 'paypal' });

export class PaypalGateway implements PaymentGateway {
  readonly code = 'paypal' as const;
  readonly capabilities: GatewayCapabilities = {
    manualCapture: true,
    partialCapture: true,
    voidAuthorization: true,
    partialRefund: true,
    multipleRefunds: true,
    payouts: true,
    paymentMethods: ['paypal'],
    currencies: PAYPAL_CURRENCIES,
    minAmountMinor: Object.fromEntries(PAYPAL_CURRENCIES.map((currency) => [currency, 1])),
    maxAmountMinor: MAX_AMOUNT_MINOR,
  };
  private readonly client: PaypalClient;
  private readonly verifier: PaypalWebhookVerifier;

  constructor(
    private readonly config: PaypalConfig,
    clock: () => number = Date.now,
  ) {
    this.client = new PaypalClient(config, clock);
    this.verifier = new PaypalWebhookVerifier(config, this.client, clock);
  }

  // ------------------------------------------------------------ charges

  async initiate(request: InitiateRequest): Promise<ChargeOutcome> {
    this.assertAmount(request.amount);
    if (!this.capabilities.paymentMethods.includes(request.paymentMethod)) {
      throw invalidRequest(`payment method "${request.paymentMethod}" is not supported`);
    }
    const order = await this.client.createOrder(toOrderRequest(request, this.config.brandName), {
      requestId: this.requestId('order', request.attemptId),
    });
    return orderToOutcome(order, request.captureMode === 'manual' ? 'AUTHORIZE' : 'CAPTURE');
  }

  /**
   * After the buyer approved: captures a CAPTURE order, or authorizes an AUTHORIZE order
   * (the manual-capture flow's "authorized" step). Safe to repeat with the same key.
   */
  async completeApproval(
    reference: GatewayReference,
    idempotencyKey: string,
  ): Promise<ChargeOutcome> {
    return intentOf(reference) === 'AUTHORIZE'
      ? this.authorizeOrder(reference, idempotencyKey)
      : this.captureOrder(reference, idempotencyKey);
  }

  async capture(request: CaptureRequest): Promise<ChargeOutcome> {
    this.assertAmount(request.amount);
    let reference = request.reference;
    if (!reference.extra?.authorizationId) {
      if (intentOf(reference) === 'CAPTURE')
        return this.captureOrder(reference, request.idempotencyKey);
      // An approved AUTHORIZE order not yet authorized: authorize first, then capture below.
      const authorized = await this.authorizeOrder(reference, request.idempotencyKey);
      if (authorized.status !== 'authorized') return authorized;
      reference = authorized.reference;
    }
    const authorizationId = reference.extra!.authorizationId!;
    try {
      const capture = await this.client.captureAuthorization(
        authorizationId,
        { amount: toPaypalMoney(request.amount), final_capture: false },
        { requestId: this.requestId('capture', request.idempotencyKey) },
      );
      return captureToOutcome(capture, reference);
    } catch (error) {
      return this.declineOrThrow(error, reference);
    }
  }

  async cancel(request: CancelRequest): Promise<ChargeOutcome> {
    let reference = request.reference;
    if (!reference.extra?.authorizationId) {
      const current = orderToOutcome(
        await this.client.getOrder(reference.id),
        reference.extra?.intent,
      );
      if (current.status === 'captured') {
        throw new GatewayError(
          'rejected',
          'paypal: the order is already captured; refund it instead',
          {
            gatewayCode: 'paypal',
            gatewayErrorCode: 'ORDER_ALREADY_CAPTURED',
          },
        );
      }
      if (current.status === 'cancelled' || current.status === 'declined') return current;
      if (!current.reference?.extra?.authorizationId) {
        // PayPal has no order void: an unapproved or uncaptured order simply expires.
        return {
          status: 'cancelled',
          reference: current.reference ?? reference,
          reason: 'order left to expire',
        };
      }
      reference = current.reference;
    }
    const authorizationId = reference.extra!.authorizationId!;
    try {
      const voided = await this.client.voidAuthorization(authorizationId, {
        requestId: this.requestId('void', request.idempotencyKey),
      });
      if (voided) return authorizationToOutcome(voided, reference);
      return { status: 'cancelled', reference, reason: request.reason ?? 'authorization voided' };
    } catch (error) {
      if (error instanceof PaypalRequestError && error.gatewayErrorCode === 'PREVIOUSLY_VOIDED') {
        return { status: 'cancelled', reference, reason: 'authorization voided' };
      }
      throw error;
    }
  }

  async fetchStatus(reference: GatewayReference): Promise<ChargeOutcome> {
    return orderToOutcome(await this.client.getOrder(reference.id), reference.extra?.intent);
  }

  // ------------------------------------------------------------ refunds

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    this.assertAmount(request.amount);
    if (request.amount.currency !== request.capturedAmount.currency) {
      throw invalidRequest('the refund currency differs from the captured currency');
    }
    if (request.amount.amountMinor > request.capturedAmount.amountMinor) {
      throw invalidRequest('the refund exceeds the captured amount');
    }
    const captureId =
      request.reference.extra?.captureId ?? (await this.findCaptureId(request.reference));
    // Always send the amount: an empty body refunds "whatever is left", which a retry could misread.
    const refund = await this.client.refundCapture(
      captureId,
      toRefundRequest(request.amount, request.refundId, request.reason),
      {
        requestId: this.requestId('refund', request.refundId),
      },
    );
    return refundToOutcome(refund, captureId, request.amount);
  }

  async fetchRefundStatus(
    refundReference: GatewayReference,
    paymentReference: GatewayReference,
  ): Promise<RefundOutcome> {
    const refund = await this.client.getRefund(refundReference.id);
    const captureId = refundReference.extra?.captureId ?? paymentReference.extra?.captureId ?? '';
    return refundToOutcome(refund, captureId);
  }

  // ------------------------------------------------------------ payouts

  async payout(request: PayoutRequest): Promise<PayoutOutcome> {
    this.assertAmount(request.amount);
    if (!request.recipient.email && !request.recipient.phone) {
      throw invalidRequest('a payout needs the recipient email or phone');
    }
    const batch = await this.client.createPayout(toPayoutRequest(request), {
      requestId: this.requestId('payout', request.payoutId),
    });
    return payoutBatchToOutcome(batch, request.amount);
  }

  async fetchPayoutStatus(payoutReference: GatewayReference): Promise<PayoutOutcome> {
    const batch = await this.client.getPayoutBatch(payoutReference.id);
    const item = batch.items?.[0]?.payout_item.amount;
    const fallback: Money = item
      ? { amountMinor: 0, currency: item.currency }
      : { amountMinor: 0, currency: batch.batch_header.amount?.currency ?? 'USD' };
    return payoutBatchToOutcome(batch, fallback);
  }

  // ------------------------------------------------------------ webhooks

  async parseWebhook(webhook: RawWebhook): Promise<ParsedWebhook> {
    const event = await this.verifier.verify(webhook);
    let events;
    try {
      events = toGatewayEvents(event);
    } catch (error) {
      if (error instanceof GatewayError && error.kind === 'invalid_webhook') throw error;
      throw new GatewayError('invalid_webhook', `paypal webhook ${event.id} could not be read`, {
        gatewayCode: 'paypal',
        cause: error,
      });
    }
    return { events, acknowledgement: { status: 200, contentType: 'text/plain', body: '' } };
  }

  // ------------------------------------------------------------ internals

  private async captureOrder(
    reference: GatewayReference,
    idempotencyKey: string,
  ): Promise<ChargeOutcome> {
    try {
      const order = await this.client.captureOrder(reference.id, {
        requestId: this.requestId('capture', idempotencyKey),
      });
      return orderToOutcome(order, 'CAPTURE');
    } catch (error) {
      return this.recoverOrThrow(error, reference);
    }
  }

  private async authorizeOrder(
    reference: GatewayReference,
    idempotencyKey: string,
  ): Promise<ChargeOutcome> {
    try {
      const order = await this.client.authorizeOrder(reference.id, {
        requestId: this.requestId('authorize', idempotencyKey),
      });
      return orderToOutcome(order, 'AUTHORIZE');
    } catch (error) {
      return this.recoverOrThrow(error, reference);
    }
  }

  // "Already captured" or "not approved" may be stale news (woocommerce #940): ask for the truth.
  private async recoverOrThrow(
    error: unknown,
    reference: GatewayReference,
  ): Promise<ChargeOutcome> {
    const ambiguous = ['ORDER_ALREADY_CAPTURED', 'ORDER_ALREADY_AUTHORIZED', 'ORDER_NOT_APPROVED'];
    if (error instanceof PaypalRequestError && ambiguous.includes(error.gatewayErrorCode ?? '')) {
      const current = orderToOutcome(
        await this.client.getOrder(reference.id),
        reference.extra?.intent,
      );
      if (current.status !== 'requires_action' && current.status !== 'pending') return current;
    }
    return this.declineOrThrow(error, reference);
  }

  private declineOrThrow(error: unknown, reference: GatewayReference): ChargeOutcome {
    if (error instanceof PaypalRequestError && error.classified.meaning.outcome === 'decline') {
      return {
        status: 'declined',
        reference,
        decline: {
          gatewayCode: error.classified.code,
          message: error.classified.message,
          retryable: error.classified.meaning.retryable,
        },
      };
    }
    throw error;
  }

  private async findCaptureId(reference: GatewayReference): Promise<string> {
    const order: PaypalOrder = await this.client.getOrder(reference.id);
    const captureId = orderToOutcome(order).reference?.extra?.captureId;
    if (!captureId) throw invalidRequest(`order ${reference.id} has no capture to refund`);
    return captureId;
  }

  private requestId(operation: string, key: string): string {
    return toRequestId(operation, key, sha256);
  }

  private assertAmount(amount: Money): void {
    if (!(PAYPAL_CURRENCIES as readonly string[]).includes(amount.currency)) {
      throw invalidRequest(`currency ${amount.currency} is not supported`);
    }
    if (!Number.isSafeInteger(amount.amountMinor))
      throw invalidRequest('the amount must be whole minor units');
    const min = this.capabilities.minAmountMinor[amount.currency];
    const max = this.capabilities.maxAmountMinor[amount.currency];
    if (min !== undefined && amount.amountMinor < min)
      throw invalidRequest(`the amount is below ${min} minor units`);
    if (max !== undefined && amount.amountMinor > max)
      throw invalidRequest(`the amount is above ${max} minor units`);
    if (!isPaypalAmount(amount)) throw invalidRequest(`PayPal takes whole ${amount.currency} only`);
  }
}
