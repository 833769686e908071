// Stripe wire formats, named as Stripe names them (API objects are snake_case JSON).

export type StripePaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export const STRIPE_PAYMENT_INTENT_STATUSES: readonly StripePaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'succeeded',
  'canceled',
];

export type StripeCaptureMethod = 'automatic' | 'automatic_async' | 'manual';

export type StripeCancellationReason =
  | 'duplicate'
  | 'fraudulent'
  | 'requested_by_customer'
  | 'abandoned'
  | 'automatic'
  | 'expired'
  | 'failed_invoice'
  | 'void_invoice';

export const STRIPE_CANCEL_REASONS_ACCEPTED = [
  'duplicate',
  'fraudulent',
  'requested_by_customer',
  'abandoned',
] as const;

export type StripeErrorType =
  'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeError {
  readonly type: StripeErrorType | string;
  readonly code?: string;
  readonly decline_code?: string;
  readonly message?: string;
  readonly param?: string;
  readonly doc_url?: string;
  readonly request_log_url?: string;
  readonly charge?: string;
  readonly payment_method?: { readonly id: string; readonly type?: string };
  readonly payment_intent?: StripePaymentIntent;
  readonly advice_code?: string;
  readonly network_decline_code?: string;
}

export interface StripeErrorEnvelope {
  readonly error: StripeError;
}

export interface StripeRedirectToUrl {
  readonly url: string;
  readonly return_url: string | null;
}

export interface StripeNextAction {
  readonly type: 'redirect_to_url' | 'use_stripe_sdk' | string;
  readonly redirect_to_url?: StripeRedirectToUrl;
  readonly use_stripe_sdk?: { readonly type?: string; readonly stripe_js?: string };
}

export interface StripePaymentIntent {
  readonly id: string;
  readonly object: 'payment_intent';
  readonly amount: number;
  readonly amount_capturable: number;
  readonly amount_received: number;
  readonly currency: string;
  readonly status: StripePaymentIntentStatus | string;
  readonly capture_method: StripeCaptureMethod;
  readonly confirmation_method: 'automatic' | 'manual';
  readonly cancellation_reason: StripeCancellationReason | null;
  readonly canceled_at: number | null;
  readonly client_secret: string | null;
  readonly created: number;
  readonly description: string | null;
  readonly last_payment_error: StripeError | null;
  readonly latest_charge: string | null;
  readonly livemode: boolean;
  readonly metadata: Readonly<Record<string, string>>;
  readonly next_action: StripeNextAction | null;
  readonly payment_method: string | null;
  readonly payment_method_types: readonly string[];
  readonly receipt_email: string | null;
}

export type StripeChargeStatus = 'succeeded' | 'pending' | 'failed';

export interface StripeList<T> {
  readonly object: 'list';
  readonly data: readonly T[];
  readonly has_more: boolean;
  readonly url: string;
}

export interface StripeCharge {
  readonly id: string;
  readonly object: 'charge';
  readonly amount: number;
  readonly amount_captured: number;
  readonly amount_refunded: number;
  readonly captured: boolean;
  readonly currency: string;
  readonly created: number;
  readonly disputed: boolean;
  readonly failure_code: string | null;
  readonly failure_message: string | null;
  readonly livemode: boolean;
  readonly metadata: Readonly<Record<string, string>>;
  readonly paid: boolean;
  readonly payment_intent: string | null;
  readonly payment_method: string | null;
  readonly refunded: boolean;
  readonly refunds?: StripeList<StripeRefund>;
  readonly status: StripeChargeStatus;
}

export type StripeRefundStatus =
  'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

export const STRIPE_REFUND_STATUSES: readonly StripeRefundStatus[] = [
  'pending',
  'requires_action',
  'succeeded',
  'failed',
  'canceled',
];

export type StripeRefundReason =
  'duplicate' | 'fraudulent' | 'requested_by_customer' | 'expired_uncaptured_charge';

export type StripeRefundFailureReason =
  | 'lost_or_stolen_card'
  | 'expired_or_canceled_card'
  | 'charge_for_pending_refund_disputed'
  | 'insufficient_funds'
  | 'declined'
  | 'merchant_request'
  | 'unknown';

export interface StripeRefund {
  readonly id: string;
  readonly object: 'refund';
  readonly amount: number;
  readonly charge: string | null;
  readonly created: number;
  readonly currency: string;
  readonly failure_reason?: StripeRefundFailureReason | string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly payment_intent: string | null;
  readonly reason: StripeRefundReason | null;
  readonly status: StripeRefundStatus | string;
}

export type StripeDisputeStatus =
  | 'warning_needs_response'
  | 'warning_under_review'
  | 'warning_closed'
  | 'needs_response'
  | 'under_review'
  | 'won'
  | 'lost'
  | 'prevented';

export const STRIPE_DISPUTE_STATUSES: readonly StripeDisputeStatus[] = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'prevented',
];

export type StripeDisputeReason =
  | 'bank_cannot_process'
  | 'check_returned'
  | 'credit_not_processed'
  | 'customer_initiated'
  | 'debit_not_authorized'
  | 'duplicate'
  | 'fraudulent'
  | 'general'
  | 'incorrect_account_details'
  | 'insufficient_funds'
  | 'noncompliant'
  | 'product_not_received'
  | 'product_unacceptable'
  | 'subscription_canceled'
  | 'unrecognized';

export interface StripeDispute {
  readonly id: string;
  readonly object: 'dispute';
  readonly amount: number;
  readonly charge: string;
  readonly created: number;
  readonly currency: string;
  readonly evidence: Readonly<Record<string, string | null>>;
  readonly is_charge_refundable: boolean;
  readonly livemode: boolean;
  readonly metadata: Readonly<Record<string, string>>;
  readonly payment_intent: string | null;
  readonly reason: StripeDisputeReason | string;
  readonly status: StripeDisputeStatus | string;
}

export type StripeEventType =
  | 'payment_intent.created'
  | 'payment_intent.processing'
  | 'payment_intent.requires_action'
  | 'payment_intent.amount_capturable_updated'
  | 'payment_intent.succeeded'
  | 'payment_intent.payment_failed'
  | 'payment_intent.canceled'
  | 'payment_intent.partially_funded'
  | 'charge.succeeded'
  | 'charge.failed'
  | 'charge.captured'
  | 'charge.expired'
  | 'charge.pending'
  | 'charge.updated'
  | 'charge.refunded'
  | 'charge.refund.updated'
  | 'refund.created'
  | 'refund.updated'
  | 'refund.failed'
  | 'charge.dispute.created'
  | 'charge.dispute.updated'
  | 'charge.dispute.closed'
  | 'charge.dispute.funds_withdrawn'
  | 'charge.dispute.funds_reinstated';

export type StripeEventObject = StripePaymentIntent | StripeCharge | StripeRefund | StripeDispute;

export interface StripeEvent {
  readonly id: string;
  readonly object: 'event';
  readonly api_version: string | null;
  readonly created: number;
  readonly data: {
    readonly object: StripeEventObject;
    readonly previous_attributes?: Readonly<Record<string, unknown>>;
  };
  readonly livemode: boolean;
  readonly pending_webhooks: number;
  readonly request: { readonly id: string | null; readonly idempotency_key: string | null };
  readonly type: StripeEventType | string;
}

/** Form parameters before bracket encoding: nested records and arrays become `a[b]` / `a[]`. */
export type StripeFormValue =
  | string
  | number
  | boolean
  | undefined
  | null
  | readonly StripeFormValue[]
  | { readonly [key: string]: StripeFormValue };

export type StripeFormParams = { readonly [key: string]: StripeFormValue };
