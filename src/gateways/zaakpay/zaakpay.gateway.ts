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
  RawWebhook,
  RefundOutcome,
  RefundRequest,
} from '../payment-gateway';
import { checkoutChecksum } from './zaakpay.checksum';
import { ZaakpayClient } from './zaakpay.client';
import type { ZaakpayConfig } from './zaakpay.config';
import {
  fromOrderStatus,
  fromTransactResponse,
  paisaToMinor,
  refundDetailFor,
  refundStatusFromUpdate,
  refundStatusOf,
  toCheckoutFields,
  toGatewayEvents,
  toMerchantRefId,
  toPaisa,
  toUpdateReason,
  updateCodeInfo,
  ZAAKPAY_CURRENCY,
  ZAAKPAY_MAX_AMOUNT_PAISA,
  ZAAKPAY_MIN_AMOUNT_PAISA,
} from './zaakpay.mapper';
import type { ZaakpayUpdateTxnResponse } from './zaakpay.types';
import { ZaakpayWebhookVerifier } from './zaakpay.webhook-verifier';

export const ZAAKPAY_CHECKOUT_PATH = '/api/paymentTransact/V8';

export const ZAAKPAY_CAPABILITIES: GatewayCapabilities = {
  // The V8 form has no per-payment "authorise only" switch; capture/cancel serve accounts
  // that Zaakpay set up to authorise (see README).
  manualCapture: false,
  partialCapture: false,
  voidAuthorization: false,
  partialRefund: true,
  multipleRefunds: true,
  payouts: false,
  paymentMethods: ['card', 'netbanking', 'upi', 'wallet'],
  currencies: [ZAAKPAY_CURRENCY],
  minAmountMinor: { [ZAAKPAY_CURRENCY]: ZAAKPAY_MIN_AMOUNT_PAISA },
  maxAmountMinor: { [ZAAKPAY_CURRENCY]: ZAAKPAY_MAX_AMOUNT_PAISA },
};

const ACKNOWLEDGEMENT = {
  status: 200,
  contentType: 'text/plain; charset=utf-8',
  body: 'SUCCESS',
} as const;

function invalidRequest(message: string): GatewayError {
  return new GatewayError('invalid_request', `Zaakpay: ${message}`, { gatewayCode: 'zaakpay' });
}

/** MobiKwik's Zaakpay: hosted checkout (form post), checkTxn, updateTxn and checksummed webhooks. */
export class ZaakpayGateway implements PaymentGateway {
  readonly code = 'zaakpay' as const;
  readonly capabilities = ZAAKPAY_CAPABILITIES;
  private readonly client: ZaakpayClient;
  private readonly verifier: ZaakpayWebhookVerifier;

  constructor(private readonly config: ZaakpayConfig) {
    this.client = new ZaakpayClient(config);
    this.verifier = new ZaakpayWebhookVerifier(config);
  }

  /** Builds the auto-submit form for the hosted page; Zaakpay is not called until the browser posts it. */
  initiate(request: InitiateRequest): Promise<ChargeOutcome> {
    return Promise.resolve().then(() => {
      this.assertAmount(request.amount, 'amount');
      if (request.captureMode === 'manual')
        throw invalidRequest('manual capture is not available per payment');
      if (!this.capabilities.paymentMethods.includes(request.paymentMethod)) {
        throw invalidRequest(`payment method ${request.paymentMethod} is not offered`);
      }
      if (!request.customer.email)
        throw invalidRequest('buyerEmail is mandatory: customer.email is missing');
      if (!request.returnUrl) throw invalidRequest('returnUrl is required for the hosted checkout');
      const fields: Record<string, string> = {
        ...toCheckoutFields(request, this.config.merchantIdentifier),
      };
      fields.checksum = checkoutChecksum(this.config.secretKey, fields);
      const url = `${this.config.baseUrl.replace(/\/+$/, '')}${ZAAKPAY_CHECKOUT_PATH}`;
      return {
        status: 'requires_action',
        reference: { id: fields.orderId },
        nextAction: { type: 'form_post', url, fields },
      };
    });
  }

  async capture(request: CaptureRequest): Promise<ChargeOutcome> {
    this.assertAmount(request.amount, 'capture amount');
    const response = await this.client.updateTxn({
      orderDetail: { orderId: request.reference.id },
      updateDesired: '7',
      updateReason: 'capture authorised payment',
    });
    if (response.responseCode === '242') {
      return { status: 'captured', reference: request.reference, capturedAmount: request.amount };
    }
    return this.updateOutcome(response, request.reference, 'capture');
  }

  async cancel(request: CancelRequest): Promise<ChargeOutcome> {
    const response = await this.client.updateTxn({
      orderDetail: { orderId: request.reference.id },
      updateDesired: '8',
      updateReason: toUpdateReason(request.reason, 'cancel authorised payment'),
    });
    if (response.responseCode === '243') {
      return { status: 'cancelled', reference: request.reference, reason: request.reason };
    }
    return this.updateOutcome(response, request.reference, 'cancel');
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    this.assertAmount(request.amount, 'refund amount', 1);
    if (request.capturedAmount.currency !== request.amount.currency) {
      throw invalidRequest('refund and captured amounts are in different currencies');
    }
    if (request.amount.amountMinor > request.capturedAmount.amountMinor) {
      throw invalidRequest('refund amount exceeds the captured amount');
    }
    const merchantRefId = toMerchantRefId(request.refundId);
    if (!merchantRefId) throw invalidRequest('refundId must contain letters or digits');
    const full = request.amount.amountMinor === request.capturedAmount.amountMinor;
    const response = await this.client.updateTxn({
      // A full refund sends no amount; a partial one sends paisa.
      orderDetail: full
        ? { orderId: request.reference.id }
        : { orderId: request.reference.id, amount: toPaisa(request.amount) },
      updateDesired: full ? '14' : '22',
      updateReason: toUpdateReason(request.reason, full ? 'full refund' : 'partial refund'),
      merchantRefId,
    });
    const refundReference = { id: merchantRefId };
    const status = refundStatusFromUpdate(response.responseCode) ?? 'pending';
    if (status === 'failed') {
      return {
        status,
        refundReference,
        amount: request.amount,
        failure: {
          gatewayCode: response.responseCode,
          message:
            response.responseDescription ?? updateCodeInfo(response.responseCode).description,
        },
      };
    }
    return { status, refundReference, amount: request.amount };
  }

  async fetchStatus(reference: GatewayReference): Promise<ChargeOutcome> {
    const order = await this.client.checkTxn(reference.id);
    const outcome = fromOrderStatus(order);
    // Keep handles the caller already had (pgTransId) when checkTxn omits them.
    return outcome.reference && !outcome.reference.extra && reference.extra
      ? { ...outcome, reference: { ...outcome.reference, extra: reference.extra } }
      : outcome;
  }

  async fetchRefundStatus(
    refundReference: GatewayReference,
    paymentReference: GatewayReference,
  ): Promise<RefundOutcome> {
    const order = await this.client.checkTxn(paymentReference.id, refundReference.id);
    const status = refundStatusOf(order);
    const amountMinor = paisaToMinor(refundDetailFor(order, refundReference.id)?.amount);
    if (amountMinor === undefined) {
      throw new GatewayError(
        'bad_response',
        `Zaakpay checkTxn did not report refund ${refundReference.id}`,
        {
          gatewayCode: 'zaakpay',
          gatewayErrorCode: order.responseCode,
        },
      );
    }
    const amount = { amountMinor, currency: ZAAKPAY_CURRENCY };
    if (status === 'failed') {
      return {
        status,
        refundReference,
        amount,
        failure: {
          gatewayCode: order.responseCode,
          message: order.responseDescription ?? 'refund reversed',
        },
      };
    }
    return { status, refundReference, amount };
  }

  parseWebhook(webhook: RawWebhook): Promise<ParsedWebhook> {
    return Promise.resolve().then(() => {
      const verified = this.verifier.verifyWebhook(webhook);
      return { events: toGatewayEvents(verified.txnData), acknowledgement: ACKNOWLEDGEMENT };
    });
  }

  /** The browser's POST to returnUrl: verified, then read. Confirm with fetchStatus before fulfilling. */
  parseReturn(body: Buffer | string | Readonly<Record<string, string>>): ChargeOutcome {
    return fromTransactResponse(this.verifier.verifyReturn(body));
  }

  private updateOutcome(
    response: ZaakpayUpdateTxnResponse,
    reference: GatewayReference,
    action: string,
  ): ChargeOutcome {
    const info = updateCodeInfo(response.responseCode);
    if (info.result === 'failed') {
      throw new GatewayError(
        'rejected',
        `Zaakpay refused to ${action}: ${response.responseCode} ${response.responseDescription ?? info.description}`,
        {
          gatewayCode: 'zaakpay',
          gatewayErrorCode: response.responseCode,
          retryable: info.retryable,
        },
      );
    }
    // Scheduled or unknown: the reconciler confirms with checkTxn.
    return { status: 'pending', reference };
  }

  private assertAmount(amount: Money, what: string, min = ZAAKPAY_MIN_AMOUNT_PAISA): void {
    if (amount.currency !== ZAAKPAY_CURRENCY) {
      throw invalidRequest(`${what} must be in ${ZAAKPAY_CURRENCY}, got ${amount.currency}`);
    }
    if (!Number.isSafeInteger(amount.amountMinor))
      throw invalidRequest(`${what} must be integer paisa`);
    if (amount.amountMinor < min || amount.amountMinor > ZAAKPAY_MAX_AMOUNT_PAISA) {
      throw invalidRequest(
        `${what} ${amount.amountMinor} paisa is outside ${min}–${ZAAKPAY_MAX_AMOUNT_PAISA} paisa`,
      );
    }
  }
}
