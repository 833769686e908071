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
import { MpesaClient } from './mpesa.client';
import type { MpesaConfig } from './mpesa.config';
import {
  darajaTimestamp,
  DUPLICATE_ORIGINATOR_CODE,
  fromStkQuery,
  MPESA_CURRENCY,
  MPESA_MAX_KES,
  MPESA_MIN_KES,
  stkPassword,
  toMsisdn,
  toWholeShillings,
} from './mpesa.mapper';
import { encryptSecurityCredential } from './mpesa.security-credential';
import type { MpesaAsyncAcknowledgement } from './mpesa.types';
import {
  MpesaWebhookVerifier,
  withCallbackToken,
  type CallbackSubject,
} from './mpesa.webhook-verifier';

const invalid = (message: string): GatewayError =>
  new GatewayError('invalid_request', message, { gatewayCode: 'mpesa' });

const clip = (value: string, max: number, fallback: string): string => {
  const cleaned = value.replace(/[^\w .,-]/g, '').trim();
  return (cleaned || fallback).slice(0, max);
};

/** M-Pesa (Safaricom Daraja): STK push in, Reversal / B2C out, results by callback. */
export class MpesaGateway implements PaymentGateway {
  readonly code = 'mpesa' as const;
  readonly capabilities: GatewayCapabilities = {
    manualCapture: false,
    partialCapture: false,
    voidAuthorization: false,
    partialRefund: true,
    multipleRefunds: true,
    payouts: true,
    paymentMethods: ['mobile_money'],
    currencies: [MPESA_CURRENCY],
    minAmountMinor: { [MPESA_CURRENCY]: MPESA_MIN_KES * 100 },
    maxAmountMinor: { [MPESA_CURRENCY]: MPESA_MAX_KES * 100 },
  };

  private readonly client: MpesaClient;
  private readonly verifier: MpesaWebhookVerifier;

  constructor(
    private readonly config: MpesaConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.client = new MpesaClient(config, now);
    this.verifier = new MpesaWebhookVerifier(config.callbackSecret);
  }

  async initiate(request: InitiateRequest): Promise<ChargeOutcome> {
    const shillings = toWholeShillings(request.amount);
    if (request.captureMode !== 'automatic') throw invalid('M-Pesa has no manual capture');
    if (request.paymentMethod !== 'mobile_money')
      throw invalid(`M-Pesa takes mobile_money, not ${request.paymentMethod}`);
    const phone = toMsisdn(request.customer.phone);
    // The Password and the body must share one Timestamp.
    const timestamp = darajaTimestamp(new Date(this.now()));
    const ack = await this.client.stkPush({
      BusinessShortCode: this.config.shortcode,
      Password: stkPassword(this.config.shortcode, this.config.passkey, timestamp),
      Timestamp: timestamp,
      TransactionType: this.config.transactionType,
      Amount: shillings,
      PartyA: phone,
      PartyB: this.config.partyB ?? this.config.shortcode,
      PhoneNumber: phone,
      CallBackURL: this.callbackUrl(request.callbackUrl, {
        kind: 'payment',
        id: request.attemptId,
      }),
      AccountReference: clip(request.attemptId.slice(-12), 12, 'Payrail'),
      TransactionDesc: clip(request.description, 13, 'Payment'),
    });
    if (!ack.CheckoutRequestID)
      throw new GatewayError('bad_response', 'M-Pesa STK ack lacks CheckoutRequestID', {
        gatewayCode: 'mpesa',
      });
    return {
      status: 'requires_action',
      reference: {
        id: ack.CheckoutRequestID,
        extra: {
          merchantRequestId: ack.MerchantRequestID,
          amountMinor: String(request.amount.amountMinor),
          phone,
          attemptId: request.attemptId,
        },
      },
      nextAction: {
        type: 'stk_push',
        phone,
        message: ack.CustomerMessage || 'Enter your M-Pesa PIN on your phone',
      },
    };
  }

  capture(request: CaptureRequest): Promise<ChargeOutcome> {
    void request;
    return Promise.reject(
      invalid('M-Pesa captures automatically when the customer enters the PIN'),
    );
  }

  cancel(request: CancelRequest): Promise<ChargeOutcome> {
    void request;
    return Promise.reject(
      invalid('An STK push cannot be cancelled by the merchant; the customer declines it (1032)'),
    );
  }

  async fetchStatus(reference: GatewayReference): Promise<ChargeOutcome> {
    const timestamp = darajaTimestamp(new Date(this.now()));
    const answer = await this.client.stkQuery({
      BusinessShortCode: this.config.shortcode,
      Password: stkPassword(this.config.shortcode, this.config.passkey, timestamp),
      Timestamp: timestamp,
      CheckoutRequestID: reference.id,
    });
    if (answer.pending) return { status: 'pending', reference };
    return fromStkQuery(answer.response, reference, this.paymentAmount(reference));
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const shillings = toWholeShillings(request.amount, 'refund amount');
    toWholeShillings(request.capturedAmount, 'captured amount');
    if (request.amount.amountMinor > request.capturedAmount.amountMinor) {
      throw invalid('Refund exceeds the captured amount');
    }
    if (!request.callbackUrl)
      throw invalid('M-Pesa refunds need a callbackUrl for the asynchronous result');
    const paymentId = request.reference.id;
    const receipt = request.reference.extra?.receipt;
    const resultUrl = this.callbackUrl(request.callbackUrl, {
      kind: 'refund',
      id: request.refundId,
      ref: paymentId,
    });
    const full = request.amount.amountMinor === request.capturedAmount.amountMinor;
    const extra: Record<string, string> = {
      paymentId,
      callbackUrl: request.callbackUrl,
      amountMinor: String(request.amount.amountMinor),
    };
    let ack: MpesaAsyncAcknowledgement;
    if (full && receipt) {
      // A full refund reverses the original M-Pesa transaction.
      extra.method = 'reversal';
      ack = await this.client.reversal({
        Initiator: this.config.initiatorName,
        SecurityCredential: this.securityCredential(),
        CommandID: 'TransactionReversal',
        TransactionID: receipt,
        Amount: shillings,
        ReceiverParty: this.config.b2cShortcode ?? this.config.shortcode,
        RecieverIdentifierType: '11',
        ResultURL: resultUrl,
        QueueTimeOutURL: resultUrl,
        Remarks: clip(request.reason ?? '', 100, 'Refund').padEnd(2, '.'),
        Occasion: clip(`Refund ${request.refundId}`, 100, 'Refund'),
      });
    } else {
      // Partial reversals are undocumented: pay the customer back by B2C instead.
      const phone = request.reference.extra?.phone;
      if (!phone) throw invalid('Refunding by B2C needs the payer phone in reference.extra.phone');
      extra.method = 'b2c';
      const sent = await this.sendB2c(
        request.refundId,
        shillings,
        phone,
        resultUrl,
        request.reason ?? 'Refund',
        `Refund ${receipt ?? paymentId}`,
      );
      if (!sent)
        return {
          status: 'pending',
          refundReference: { id: request.refundId, extra },
          amount: request.amount,
        };
      ack = sent;
    }
    extra.conversationId = ack.ConversationID;
    extra.originatorConversationId = ack.OriginatorConversationID;
    return {
      status: 'pending',
      refundReference: { id: request.refundId, extra },
      amount: request.amount,
    };
  }

  /**
   * Transaction Status answers only on ResultURL, so this asks for the result and reports
   * `pending`; the answer arrives as a refund.succeeded / refund.failed webhook.
   */
  async fetchRefundStatus(
    refundReference: GatewayReference,
    paymentReference: GatewayReference,
  ): Promise<RefundOutcome> {
    const extra = refundReference.extra ?? {};
    const amount: Money = { amountMinor: Number(extra.amountMinor ?? 0), currency: MPESA_CURRENCY };
    await this.requestTransactionStatus(extra, {
      kind: 'refund',
      id: refundReference.id,
      ref: extra.paymentId ?? paymentReference.id,
    });
    return { status: 'pending', refundReference, amount };
  }

  async payout(request: PayoutRequest): Promise<PayoutOutcome> {
    const shillings = toWholeShillings(request.amount, 'payout amount');
    const phone = toMsisdn(request.recipient.phone);
    if (!request.callbackUrl)
      throw invalid('M-Pesa payouts need a callbackUrl for the asynchronous result');
    const resultUrl = this.callbackUrl(request.callbackUrl, {
      kind: 'payout',
      id: request.payoutId,
    });
    const extra: Record<string, string> = {
      callbackUrl: request.callbackUrl,
      amountMinor: String(request.amount.amountMinor),
      phone,
      originatorConversationId: request.payoutId,
    };
    const ack = await this.sendB2c(
      request.payoutId,
      shillings,
      phone,
      resultUrl,
      request.note ?? 'Payout',
      'Payout',
    );
    if (ack) extra.conversationId = ack.ConversationID;
    return {
      status: 'pending',
      payoutReference: { id: request.payoutId, extra },
      amount: request.amount,
    };
  }

  async fetchPayoutStatus(payoutReference: GatewayReference): Promise<PayoutOutcome> {
    const extra = payoutReference.extra ?? {};
    await this.requestTransactionStatus(extra, { kind: 'payout', id: payoutReference.id });
    return {
      status: 'pending',
      payoutReference,
      amount: { amountMinor: Number(extra.amountMinor ?? 0), currency: MPESA_CURRENCY },
    };
  }

  parseWebhook(webhook: RawWebhook): Promise<ParsedWebhook> {
    try {
      return Promise.resolve(this.verifier.parse(webhook));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** B2C with our id as OriginatorConversationID; undefined when M-Pesa already has it (a repeat). */
  private async sendB2c(
    originatorId: string,
    shillings: number,
    phone: string,
    resultUrl: string,
    remarks: string,
    occasion: string,
  ): Promise<MpesaAsyncAcknowledgement | undefined> {
    try {
      return await this.client.b2c({
        OriginatorConversationID: originatorId,
        InitiatorName: this.config.initiatorName,
        SecurityCredential: this.securityCredential(),
        CommandID: this.config.b2cCommandId ?? 'BusinessPayment',
        Amount: shillings,
        PartyA: this.config.b2cShortcode ?? this.config.shortcode,
        PartyB: phone,
        Remarks: clip(remarks, 100, 'Payment').padEnd(2, '.'),
        QueueTimeOutURL: resultUrl,
        ResultURL: resultUrl,
        Occassion: clip(occasion, 100, 'Payment'),
      });
    } catch (error) {
      // The first request got through (its answer was lost): the result will still arrive.
      if (error instanceof GatewayError && error.gatewayErrorCode === DUPLICATE_ORIGINATOR_CODE)
        return undefined;
      throw error;
    }
  }

  private async requestTransactionStatus(
    extra: Readonly<Record<string, string>>,
    subject: CallbackSubject,
  ): Promise<void> {
    if (!extra.callbackUrl)
      throw invalid('The reference lacks the callbackUrl the status result is sent to');
    const original =
      extra.method === 'reversal'
        ? extra.conversationId
        : (extra.originatorConversationId ?? extra.conversationId);
    if (!original) throw invalid('The reference lacks an M-Pesa conversation id to query');
    const resultUrl = this.callbackUrl(extra.callbackUrl, { ...subject, statusQuery: true });
    await this.client.transactionStatus({
      Initiator: this.config.initiatorName,
      SecurityCredential: this.securityCredential(),
      CommandID: 'TransactionStatusQuery',
      OriginalConversationID: original,
      PartyA: this.config.b2cShortcode ?? this.config.shortcode,
      IdentifierType: '4',
      ResultURL: resultUrl,
      QueueTimeOutURL: resultUrl,
      Remarks: 'Status check',
      Occasion: subject.id.slice(0, 100),
    });
  }

  private paymentAmount(reference: GatewayReference): Money {
    const amountMinor = Number(reference.extra?.amountMinor);
    if (!Number.isSafeInteger(amountMinor))
      throw invalid(
        'The reference lacks extra.amountMinor (the STK query does not return amounts)',
      );
    return { amountMinor, currency: MPESA_CURRENCY };
  }

  private callbackUrl(url: string, subject: CallbackSubject): string {
    try {
      return withCallbackToken(url, this.config.callbackSecret, subject);
    } catch (error) {
      throw new GatewayError('invalid_request', `callbackUrl is not a valid URL`, {
        gatewayCode: 'mpesa',
        cause: error,
      });
    }
  }

  private securityCredential(): string {
    return encryptSecurityCredential(this.config.certificatePem, this.config.initiatorPassword);
  }
}
