import type { Money } from '../common/money/money';
import type { GatewayCode, InternalGatewayCode } from './gateway-codes';

/** How the customer pays at the gateway. Routing matches on it. */
export type PaymentMethodKind =
  | 'card'
  | 'netbanking'
  | 'upi'
  | 'wallet'
  | 'mobile_money'
  | 'paypal'
  /** The payer's own Payrail wallet balance (the internal `wallet` gateway, not a third party). */
  | 'wallet_balance';

/** What a gateway can do. Routing and the payments module read it before calling. */
export interface GatewayCapabilities {
  /** Authorize now, capture later. */
  readonly manualCapture: boolean;
  /** Capture less than the authorized amount. */
  readonly partialCapture: boolean;
  /** Void an authorization (or cancel an unpaid intent). */
  readonly voidAuthorization: boolean;
  readonly partialRefund: boolean;
  /** Several partial refunds on one payment. */
  readonly multipleRefunds: boolean;
  /** Send money out (M-Pesa B2C, PayPal Payouts). */
  readonly payouts: boolean;
  readonly paymentMethods: readonly PaymentMethodKind[];
  /** ISO 4217 codes, upper case. */
  readonly currencies: readonly string[];
  /** Inclusive per-currency limits in minor units; a currency absent here has no limit of ours. */
  readonly minAmountMinor: Readonly<Record<string, number>>;
  readonly maxAmountMinor: Readonly<Record<string, number>>;
}

/**
 * The gateway's handles on one transaction. `id` is the primary handle (Stripe PaymentIntent id,
 * PayPal order id, M-Pesa CheckoutRequestID, Zaakpay orderId); `extra` holds the others a later call
 * needs (PayPal capture/authorization id, M-Pesa receipt number...). The payments module stores
 * it as returned and hands it back unchanged.
 */
export interface GatewayReference {
  readonly id: string;
  readonly extra?: Readonly<Record<string, string>>;
}

export interface CustomerDetails {
  readonly email?: string;
  readonly phone?: string; // E.164 without '+', e.g. 254708374149
  readonly name?: string;
  readonly ip?: string;
}

export interface InitiateRequest {
  /** Our unique id for this try; the gateway-side order/reference id and idempotency key derive from it. */
  readonly attemptId: string;
  readonly amount: Money;
  /** `manual`: authorize only, capture later (only where capabilities.manualCapture). */
  readonly captureMode: 'automatic' | 'manual';
  readonly paymentMethod: PaymentMethodKind;
  /** A gateway token for the method where one applies (Stripe `pm_card_visa`); never a card number. */
  readonly paymentMethodToken?: string;
  readonly description: string;
  readonly customer: CustomerDetails;
  /** Where the browser returns after a hosted page. */
  readonly returnUrl: string;
  readonly cancelUrl?: string;
  /** Where the gateway should call us back about this payment (may carry a per-payment token). */
  readonly callbackUrl: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** What the customer must do next. */
export type NextAction =
  | { readonly type: 'redirect'; readonly url: string }
  /** Auto-submitting HTML form (Zaakpay hosted checkout). */
  | {
      readonly type: 'form_post';
      readonly url: string;
      readonly fields: Readonly<Record<string, string>>;
    }
  /** A PIN prompt was sent to the phone (M-Pesa STK push). */
  | { readonly type: 'stk_push'; readonly phone: string; readonly message: string }
  /** Buyer approves at the gateway (PayPal approve / payer-action link). */
  | { readonly type: 'approval'; readonly url: string }
  /** Card authentication page (Stripe 3DS). */
  | { readonly type: 'three_ds'; readonly url: string };

export interface Decline {
  /** The gateway's own code, e.g. Stripe `insufficient_funds`, M-Pesa `1032`. */
  readonly gatewayCode: string;
  readonly message: string;
  /** True when another try (possibly on another gateway) may succeed. */
  readonly retryable: boolean;
}

/**
 * Where a charge stands at the gateway. A decline is an outcome, not an exception.
 * `pending`: accepted and still being processed (M-Pesa "being processed", Stripe `processing`).
 */
export type ChargeOutcome =
  | {
      readonly status: 'requires_action';
      readonly reference: GatewayReference;
      readonly nextAction: NextAction;
    }
  | { readonly status: 'pending'; readonly reference: GatewayReference }
  | {
      readonly status: 'authorized';
      readonly reference: GatewayReference;
      readonly authorizedAmount: Money;
    }
  | {
      readonly status: 'captured';
      readonly reference: GatewayReference;
      /** Total captured so far on this transaction. */
      readonly capturedAmount: Money;
    }
  | { readonly status: 'cancelled'; readonly reference: GatewayReference; readonly reason?: string }
  | {
      readonly status: 'declined';
      readonly reference?: GatewayReference;
      readonly decline: Decline;
    };

export type ChargeStatus = ChargeOutcome['status'];

export interface CaptureRequest {
  readonly reference: GatewayReference;
  /** The amount to capture now; less than authorized where capabilities.partialCapture. */
  readonly amount: Money;
  readonly idempotencyKey: string;
}

export interface CancelRequest {
  readonly reference: GatewayReference;
  readonly idempotencyKey: string;
  readonly reason?: string;
}

export interface RefundRequest {
  readonly reference: GatewayReference;
  /** Our unique refund id: becomes the gateway's merchant refund reference / idempotency key. */
  readonly refundId: string;
  readonly amount: Money;
  /** The amount originally captured, so a gateway can tell full from partial. */
  readonly capturedAmount: Money;
  readonly reason?: string;
  /** Where an asynchronous refund result should be sent (M-Pesa ResultURL). */
  readonly callbackUrl?: string;
}

export type RefundStatus = 'succeeded' | 'pending' | 'failed';

export interface RefundOutcome {
  readonly status: RefundStatus;
  /** The gateway's id for the refund (re_..., PayPal refund id, M-Pesa ConversationID). */
  readonly refundReference: GatewayReference;
  readonly amount: Money;
  readonly failure?: { readonly gatewayCode: string; readonly message: string };
}

export interface PayoutRequest {
  /** Our unique payout id: the gateway's idempotency/originator id. */
  readonly payoutId: string;
  readonly amount: Money;
  readonly recipient: { readonly phone?: string; readonly email?: string; readonly name?: string };
  readonly note?: string;
  readonly callbackUrl?: string;
}

export type PayoutStatus = 'succeeded' | 'pending' | 'failed';

export interface PayoutOutcome {
  readonly status: PayoutStatus;
  readonly payoutReference: GatewayReference;
  readonly amount: Money;
  readonly failure?: { readonly gatewayCode: string; readonly message: string };
}

/** An HTTP request as the gateway sent it to us. Verification runs over `rawBody`, byte for byte. */
export interface RawWebhook {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: Buffer;
  readonly query: Readonly<Record<string, string | undefined>>;
}

/** Our event vocabulary: what any gateway's callback means to us. */
export type GatewayEventType =
  | 'payment.pending'
  | 'payment.authorized'
  | 'payment.captured'
  | 'payment.declined'
  | 'payment.cancelled'
  | 'refund.succeeded'
  | 'refund.pending'
  | 'refund.failed'
  | 'payout.succeeded'
  | 'payout.failed'
  | 'dispute.opened'
  | 'dispute.updated'
  | 'dispute.closed';

export interface GatewayEvent {
  readonly gatewayCode: GatewayCode;
  /** Unique per gateway event: the dedupe key of the webhook inbox. */
  readonly gatewayEventId: string;
  readonly type: GatewayEventType;
  /** The transaction the event is about (as returned by initiate). */
  readonly reference: GatewayReference;
  /** Our attempt id when the gateway echoes it back. */
  readonly attemptId?: string;
  readonly amount?: Money;
  readonly occurredAt?: Date;
  readonly refundReference?: GatewayReference;
  readonly payoutReference?: GatewayReference;
  readonly decline?: Decline;
  readonly dispute?: {
    readonly disputeReference: string;
    readonly reason: string;
    readonly status: string;
    readonly amount?: Money;
  };
  /**
   * `signature`: the payload was cryptographically verified. `unverified`: the gateway signs nothing
   * (M-Pesa), so the payments module must confirm with fetchStatus before moving money.
   */
  readonly trust: 'signature' | 'unverified';
  /**
   * The gateway's answer to a status query we asked for (M-Pesa Transaction Status result). For an
   * unverified event this answer is the confirmation itself: asking again would only loop.
   */
  readonly answersStatusQuery?: boolean;
}

/** What we answer the gateway once the webhook is safely stored (Zaakpay wants `SUCCESS`). */
export interface WebhookAcknowledgement {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface ParsedWebhook {
  /** Zero or more events (Zaakpay batches up to 10 transactions per push). */
  readonly events: readonly GatewayEvent[];
  readonly acknowledgement: WebhookAcknowledgement;
}

/** What the app may ask of a payment gateway. Amounts are integer minor units. */
export interface PaymentGateway {
  readonly code: GatewayCode | InternalGatewayCode;
  readonly capabilities: GatewayCapabilities;
  /** Starts a charge and says what the customer must do next. */
  initiate(request: InitiateRequest): Promise<ChargeOutcome>;
  capture(request: CaptureRequest): Promise<ChargeOutcome>;
  /** Voids an authorization or cancels a charge not yet paid. */
  cancel(request: CancelRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<RefundOutcome>;
  /** Asks the gateway for the truth about one transaction: the reconciler's only source. */
  fetchStatus(reference: GatewayReference): Promise<ChargeOutcome>;
  /** The truth about one refund, for refunds left pending. */
  fetchRefundStatus(
    refundReference: GatewayReference,
    paymentReference: GatewayReference,
  ): Promise<RefundOutcome>;
  /** Present only where capabilities.payouts. */
  payout?(request: PayoutRequest): Promise<PayoutOutcome>;
  fetchPayoutStatus?(payoutReference: GatewayReference): Promise<PayoutOutcome>;
  /** Verifies the callback (signature, checksum or token), then translates it into our events. */
  parseWebhook(webhook: RawWebhook): Promise<ParsedWebhook>;
}
