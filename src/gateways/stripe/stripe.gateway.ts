import type { Money } from '../../common/money/money';
import type { GatewayCode } from '../gateway-codes';
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
  RawWebhook,
  RefundOutcome,
  RefundRequest,
} from '../payment-gateway';
import { StripeClient, type StripeResult } from './stripe.client';
import type { StripeConfig } from './stripe.config';
import {
  fromCardError,
  fromPaymentIntent,
  fromRefund,
  stripeIdempotencyKey,
  toCancelParams,
  toCaptureParams,
  toPaymentIntentCreateParams,
  toRefundParams,
} from './stripe.mapper';
import type { StripePaymentIntent } from './stripe.types';
import { StripeWebhookVerifier } from './stripe.webhook-verifier';

// Stripe's ceiling is 8 digits of minor units; minimums are roughly $0.50 equivalent.
const MAX_AMOUNT_MINOR = 99_999_999;
const CURRENCIES = ['USD', 'EUR', 'GBP', 'INR', 'KES', 'CAD', 'AUD', 'JPY'] as const;
const MIN_AMOUNT_MINOR: Readonly<Record<(typeof CURRENCIES)[number], number>> = {
  USD: 50,
  EUR: 50,
  GBP: 30,
  INR: 50,
  KES: 5_000,
  CAD: 50,
  AUD: 50,
  JPY: 50,
};

export const STRIPE_CAPABILITIES: GatewayCapabilities = {
  manualCapture: true,
  partialCapture: true,
  voidAuthorization: true,
  partialRefund: true,
  multipleRefunds: true,
  payouts: false,
  paymentMethods: ['card'],
  currencies: CURRENCIES,
  minAmountMinor: MIN_AMOUNT_MINOR,
  maxAmountMinor: Object.fromEntries(CURRENCIES.map((currency) => [currency, MAX_AMOUNT_MINOR])),
};

export class StripeGateway implements PaymentGateway {
  readonly code: GatewayCode = 'stripe';
  readonly capabilities = STRIPE_CAPABILITIES;
  private readonly client: StripeClient;
  private readonly verifier: StripeWebhookVerifier;

  constructor(config: StripeConfig) {
    this.client = new StripeClient(config);
    this.verifier = new StripeWebhookVerifier({
      secret: config.webhookSecret,
      toleranceSeconds: config.webhookToleranceSeconds,
    });
  }

  async initiate(request: InitiateRequest): Promise<ChargeOutcome> {
    this.assertAmount(request.amount, 'amount');
    if (!this.capabilities.paymentMethods.includes(request.paymentMethod)) {
      throw invalidRequest(`Stripe gateway does not take ${request.paymentMethod} payments`);
    }
    if (!request.paymentMethodToken) {
      throw invalidRequest('Stripe needs paymentMethodToken (a pm_... id from Stripe.js)');
    }
    const result = await this.client.createPaymentIntent(
      toPaymentIntentCreateParams(request),
      stripeIdempotencyKey('pi', request.attemptId),
    );
    return this.toOutcome(result);
  }

  async capture(request: CaptureRequest): Promise<ChargeOutcome> {
    this.assertAmount(request.amount, 'capture amount', false);
    const result = await this.client.capturePaymentIntent(
      request.reference.id,
      toCaptureParams(request),
      stripeIdempotencyKey('capture', request.idempotencyKey),
    );
    return this.toOutcome(result);
  }

  async cancel(request: CancelRequest): Promise<ChargeOutcome> {
    const result = await this.client.cancelPaymentIntent(
      request.reference.id,
      toCancelParams(request),
      stripeIdempotencyKey('cancel', request.idempotencyKey),
    );
    return this.toOutcome(result);
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    this.assertAmount(request.amount, 'refund amount', false);
    if (request.amount.currency !== request.capturedAmount.currency) {
      throw invalidRequest('refund currency differs from the captured currency');
    }
    if (request.amount.amountMinor > request.capturedAmount.amountMinor) {
      throw invalidRequest('refund amount exceeds the captured amount');
    }
    const result = await this.client.createRefund(
      toRefundParams(request),
      stripeIdempotencyKey('refund', request.refundId),
    );
    if (result.kind === 'card_error') {
      return {
        status: 'failed',
        refundReference: { id: request.refundId },
        amount: request.amount,
        failure: {
          gatewayCode: result.error.decline_code ?? result.error.code ?? 'card_error',
          message: result.error.message ?? 'refund refused',
        },
      };
    }
    return fromRefund(result.body);
  }

  async fetchStatus(reference: GatewayReference): Promise<ChargeOutcome> {
    return fromPaymentIntent(await this.client.retrievePaymentIntent(reference.id));
  }

  // A Stripe refund id is global; the payment reference is not needed.
  async fetchRefundStatus(
    refundReference: GatewayReference,
    _paymentReference?: GatewayReference,
  ): Promise<RefundOutcome> {
    return fromRefund(await this.client.retrieveRefund(refundReference.id));
  }

  async parseWebhook(webhook: RawWebhook): Promise<ParsedWebhook> {
    return this.verifier.parse(webhook);
  }

  private toOutcome(result: StripeResult<StripePaymentIntent>): ChargeOutcome {
    return result.kind === 'ok' ? fromPaymentIntent(result.body) : fromCardError(result.error);
  }

  /** Refuses what Stripe would refuse, before any call. Minimums apply to charges only. */
  private assertAmount(amount: Money, what: string, checkMinimum = true): void {
    const currency = amount.currency as (typeof CURRENCIES)[number];
    if (!CURRENCIES.includes(currency)) {
      throw invalidRequest(`Stripe gateway does not take ${amount.currency}`);
    }
    if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) {
      throw invalidRequest(`${what} must be a positive integer of minor units`);
    }
    const min = checkMinimum ? this.capabilities.minAmountMinor[currency] : 1;
    const max = this.capabilities.maxAmountMinor[currency];
    if (amount.amountMinor < min || amount.amountMinor > max) {
      throw invalidRequest(`${what} ${amount.amountMinor} ${currency} is outside ${min}..${max}`);
    }
  }
}

function invalidRequest(message: string): GatewayError {
  return new GatewayError('invalid_request', message, { gatewayCode: 'stripe' });
}
