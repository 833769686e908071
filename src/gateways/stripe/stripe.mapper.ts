import { createHash } from 'node:crypto';
import type { Money } from '../../common/money/money';
import { GatewayError, type GatewayErrorKind } from '../gateway.error';
import type {
  CancelRequest,
  CaptureRequest,
  ChargeOutcome,
  ChargeStatus,
  Decline,
  GatewayEvent,
  GatewayEventType,
  GatewayReference,
  InitiateRequest,
  NextAction,
  RefundOutcome,
  RefundRequest,
  RefundStatus,
  WebhookAcknowledgement,
} from '../payment-gateway';
import {
  STRIPE_CANCEL_REASONS_ACCEPTED,
  type StripeCharge,
  type StripeDispute,
  type StripeError,
  type StripeEvent,
  type StripeFormParams,
  type StripeFormValue,
  type StripePaymentIntent,
  type StripePaymentIntentStatus,
  type StripeRefund,
  type StripeRefundStatus,
} from './stripe.types';

export const STRIPE_METADATA_ATTEMPT_ID = 'attempt_id';
export const STRIPE_METADATA_REFUND_ID = 'refund_id';
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

// ---------- form encoding (domain -> wire) ----------

function encodeInto(pairs: string[], key: string, value: StripeFormValue): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    // Stripe reads `a[]=x&a[]=y` for scalar lists and `a[0][k]=v` for lists of objects.
    value.forEach((item: StripeFormValue, index) => {
      const isObject = typeof item === 'object' && item !== null;
      encodeInto(pairs, isObject ? `${key}[${index}]` : `${key}[]`, item);
    });
    return;
  }
  if (typeof value === 'object') {
    for (const [child, childValue] of Object.entries(value as Record<string, StripeFormValue>)) {
      encodeInto(pairs, `${key}[${child}]`, childValue);
    }
    return;
  }
  pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
}

/** `{metadata: {order_id: '42'}, expand: ['latest_charge']}` -> `metadata[order_id]=42&expand[]=latest_charge`. */
export function encodeStripeForm(params: StripeFormParams): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) encodeInto(pairs, key, value);
  return pairs.join('&');
}

/**
 * Deterministic Idempotency-Key from our own ids, so a retry after a timeout is the same request.
 * Over-long ids are hashed to stay within Stripe's 255 characters.
 */
export function stripeIdempotencyKey(operation: string, id: string): string {
  const key = `payrail-${operation}-${id}`;
  if (key.length <= MAX_IDEMPOTENCY_KEY_LENGTH) return key;
  return `payrail-${operation}-${createHash('sha256').update(id).digest('hex')}`;
}

export function toStripeCurrency(currency: string): string {
  return currency.toLowerCase();
}

export function fromStripeAmount(amount: number, currency: string): Money {
  return { amountMinor: amount, currency: currency.toUpperCase() };
}

export function toPaymentIntentCreateParams(request: InitiateRequest): StripeFormParams {
  return {
    // Stripe takes integer minor units, exactly our representation.
    amount: request.amount.amountMinor,
    currency: toStripeCurrency(request.amount.currency),
    payment_method_types: ['card'],
    payment_method: request.paymentMethodToken,
    confirm: true,
    capture_method: request.captureMode === 'manual' ? 'manual' : 'automatic',
    return_url: request.returnUrl,
    description: request.description,
    receipt_email: request.customer.email,
    metadata: { ...(request.metadata ?? {}), [STRIPE_METADATA_ATTEMPT_ID]: request.attemptId },
  };
}

export function toCaptureParams(request: CaptureRequest): StripeFormParams {
  return { amount_to_capture: request.amount.amountMinor };
}

export function toCancelParams(request: CancelRequest): StripeFormParams {
  const reason = STRIPE_CANCEL_REASONS_ACCEPTED.find((accepted) => accepted === request.reason);
  return { cancellation_reason: reason };
}

export function toRefundParams(request: RefundRequest): StripeFormParams {
  const reason = ['duplicate', 'fraudulent', 'requested_by_customer'].includes(request.reason ?? '')
    ? request.reason
    : undefined;
  return {
    payment_intent: request.reference.id,
    amount: request.amount.amountMinor,
    reason,
    metadata: {
      [STRIPE_METADATA_REFUND_ID]: request.refundId,
      // Free-text reasons do not fit Stripe's enum; keep them for the dashboard.
      payrail_reason: reason ? undefined : request.reason,
    },
  };
}

// ---------- declines ----------

/**
 * Stripe decline codes (docs.stripe.com/declines/codes) -> may another try succeed?
 * Only issuer/network hiccups and authentication are worth another attempt.
 */
export const STRIPE_DECLINE_RETRYABLE: Readonly<Record<string, boolean>> = {
  approve_with_id: true,
  authentication_required: true,
  call_issuer: false,
  card_declined: false,
  card_not_supported: false,
  card_velocity_exceeded: false,
  currency_not_supported: false,
  do_not_honor: false,
  do_not_try_again: false,
  duplicate_transaction: false,
  expired_card: false,
  fraudulent: false,
  generic_decline: false,
  incorrect_cvc: false,
  incorrect_number: false,
  incorrect_pin: false,
  incorrect_zip: false,
  insufficient_funds: false,
  invalid_account: false,
  invalid_amount: false,
  invalid_cvc: false,
  invalid_expiry_month: false,
  invalid_expiry_year: false,
  invalid_number: false,
  issuer_not_available: true,
  lost_card: false,
  merchant_blacklist: false,
  new_account_information_available: false,
  no_action_taken: false,
  not_permitted: false,
  offline_pin_required: false,
  online_or_offline_pin_required: false,
  // The customer abandoned or failed 3DS; a new attempt may pass it.
  payment_intent_authentication_failure: true,
  payment_intent_payment_attempt_failed: false,
  pickup_card: false,
  pin_try_exceeded: false,
  processing_error: true,
  reenter_transaction: true,
  restricted_card: false,
  revocation_of_all_authorizations: false,
  revocation_of_authorization: false,
  security_violation: false,
  service_not_allowed: false,
  stolen_card: false,
  stop_payment_order: false,
  testmode_decline: false,
  transaction_not_allowed: false,
  try_again_later: true,
  withdrawal_count_limit_exceeded: false,
};

export function toDecline(error: StripeError): Decline {
  const gatewayCode = error.decline_code ?? error.code ?? 'card_declined';
  return {
    gatewayCode,
    message: error.message ?? 'The card was declined.',
    retryable:
      STRIPE_DECLINE_RETRYABLE[gatewayCode] ??
      (error.code ? STRIPE_DECLINE_RETRYABLE[error.code] : undefined) ??
      false,
  };
}

// ---------- errors ----------

interface ErrorRule {
  readonly kind: GatewayErrorKind;
  readonly retryable?: boolean;
}

/** Stripe error codes (non-card) -> our error kind. Codes not listed fall back to type and HTTP status. */
export const STRIPE_ERROR_CODE_RULES: Readonly<Record<string, ErrorRule>> = {
  account_invalid: { kind: 'misconfigured' },
  api_key_expired: { kind: 'misconfigured' },
  platform_api_key_expired: { kind: 'misconfigured' },
  secret_key_required: { kind: 'misconfigured' },
  testmode_charges_only: { kind: 'misconfigured' },
  amount_too_large: { kind: 'rejected' },
  amount_too_small: { kind: 'rejected' },
  balance_insufficient: { kind: 'rejected' },
  charge_already_captured: { kind: 'rejected' },
  charge_already_refunded: { kind: 'rejected' },
  charge_disputed: { kind: 'rejected' },
  charge_expired_for_capture: { kind: 'rejected' },
  charge_not_refundable: { kind: 'rejected' },
  idempotency_key_in_use: { kind: 'unavailable', retryable: true },
  lock_timeout: { kind: 'unavailable', retryable: true },
  parameter_invalid_empty: { kind: 'rejected' },
  parameter_invalid_integer: { kind: 'rejected' },
  parameter_invalid_string_empty: { kind: 'rejected' },
  parameter_missing: { kind: 'rejected' },
  parameter_unknown: { kind: 'rejected' },
  payment_intent_invalid_parameter: { kind: 'rejected' },
  payment_intent_unexpected_state: { kind: 'rejected' },
  rate_limit: { kind: 'unavailable', retryable: true },
  refund_disputed_payment: { kind: 'rejected' },
  resource_missing: { kind: 'rejected' },
};

function ruleFor(httpStatus: number, error: StripeError | undefined): ErrorRule {
  if (httpStatus === 401) return { kind: 'misconfigured' };
  if (httpStatus === 403) return { kind: 'misconfigured' };
  const byCode = error?.code ? STRIPE_ERROR_CODE_RULES[error.code] : undefined;
  if (byCode) return byCode;
  // 409: another request with this key is in flight; nothing was stored, so it is safe to repeat.
  if (httpStatus === 409) return { kind: 'unavailable', retryable: true };
  if (error?.type === 'idempotency_error') return { kind: 'rejected' };
  // Stripe's docs call a 500 indeterminate: the request may have been executed.
  if (httpStatus === 500 && error?.type === 'api_error') return { kind: 'timeout' };
  // kindForHttpStatus's default, inlined: importing it would pull the HTTP client into this pure file.
  if (httpStatus === 429 || httpStatus >= 500) return { kind: 'unavailable' };
  return { kind: 'rejected' };
}

function errorMessage(httpStatus: number, error: StripeError | undefined, context: string): string {
  if (httpStatus === 401) {
    return `Stripe rejected the API key on ${context} (HTTP 401): check STRIPE_SECRET_KEY`;
  }
  if (httpStatus === 403) {
    return `Stripe API key lacks permission for ${context} (HTTP 403): check STRIPE_SECRET_KEY`;
  }
  const code = error?.code ?? error?.type ?? 'no error code';
  return `Stripe ${context} failed (HTTP ${httpStatus}, ${code}): ${error?.message ?? 'no message'}`;
}

/** Any non-2xx answer that is not a card decline -> GatewayError. */
export function toGatewayError(
  httpStatus: number,
  error: StripeError | undefined,
  context: string,
): GatewayError {
  const rule = ruleFor(httpStatus, error);
  return new GatewayError(rule.kind, errorMessage(httpStatus, error, context), {
    gatewayCode: 'stripe',
    gatewayErrorCode: error?.code ?? error?.decline_code ?? error?.type,
    httpStatus,
    retryable: rule.retryable,
  });
}

/** Reads `{"error": {...}}` from any parsed body, or undefined when the body is not Stripe's envelope. */
export function readStripeError(body: unknown): StripeError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  return typeof (error as { type?: unknown }).type === 'string'
    ? (error as StripeError)
    : undefined;
}

// ---------- payment intents (wire -> outcome) ----------

/** Every PaymentIntent status; requires_payment_method after a failed try is a decline (see below). */
export const STRIPE_PAYMENT_INTENT_STATUS_MAP: Readonly<
  Record<StripePaymentIntentStatus, ChargeStatus>
> = {
  requires_payment_method: 'pending',
  requires_confirmation: 'pending',
  requires_action: 'requires_action',
  processing: 'pending',
  requires_capture: 'authorized',
  succeeded: 'captured',
  canceled: 'cancelled',
};

export function toChargeStatus(status: string): ChargeStatus {
  return STRIPE_PAYMENT_INTENT_STATUS_MAP[status as StripePaymentIntentStatus] ?? 'pending';
}

export function toNextAction(intent: StripePaymentIntent): NextAction | undefined {
  const action = intent.next_action;
  if (!action) return undefined;
  const cardOnly =
    intent.payment_method_types.length > 0 &&
    intent.payment_method_types.every((type) => type === 'card');
  if (action.type === 'redirect_to_url' && action.redirect_to_url?.url) {
    // A card redirect is the issuer's 3DS page; other methods redirect to a bank or wallet.
    return { type: cardOnly ? 'three_ds' : 'redirect', url: action.redirect_to_url.url };
  }
  if (action.type === 'use_stripe_sdk' && action.use_stripe_sdk?.stripe_js) {
    return { type: 'three_ds', url: action.use_stripe_sdk.stripe_js };
  }
  return undefined;
}

export function toReference(intent: StripePaymentIntent): GatewayReference {
  return intent.latest_charge
    ? { id: intent.id, extra: { charge: intent.latest_charge } }
    : { id: intent.id };
}

export function fromPaymentIntent(intent: StripePaymentIntent): ChargeOutcome {
  const reference = toReference(intent);
  switch (toChargeStatus(intent.status)) {
    case 'requires_action': {
      const nextAction = toNextAction(intent);
      return nextAction
        ? { status: 'requires_action', reference, nextAction }
        : { status: 'pending', reference };
    }
    case 'authorized':
      return {
        status: 'authorized',
        reference,
        authorizedAmount: fromStripeAmount(intent.amount_capturable, intent.currency),
      };
    case 'captured':
      return {
        status: 'captured',
        reference,
        capturedAmount: fromStripeAmount(intent.amount_received, intent.currency),
      };
    case 'cancelled':
      return { status: 'cancelled', reference, reason: intent.cancellation_reason ?? undefined };
    default:
      // A failed confirmation sends the intent back to requires_payment_method with the error kept.
      if (intent.status === 'requires_payment_method' && intent.last_payment_error) {
        return { status: 'declined', reference, decline: toDecline(intent.last_payment_error) };
      }
      return { status: 'pending', reference };
  }
}

/** A 402 card_error: a decline outcome, tied to the intent when Stripe returns it. */
export function fromCardError(error: StripeError): ChargeOutcome {
  const intent = error.payment_intent;
  return intent
    ? { status: 'declined', reference: toReference(intent), decline: toDecline(error) }
    : { status: 'declined', decline: toDecline(error) };
}

// ---------- refunds ----------

export const STRIPE_REFUND_STATUS_MAP: Readonly<Record<StripeRefundStatus, RefundStatus>> = {
  pending: 'pending',
  // The customer must supply details (some methods); still in progress for us.
  requires_action: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'failed',
};

export function toRefundStatus(status: string): RefundStatus {
  return STRIPE_REFUND_STATUS_MAP[status as StripeRefundStatus] ?? 'pending';
}

export function fromRefund(refund: StripeRefund): RefundOutcome {
  const status = toRefundStatus(refund.status);
  const extra: Record<string, string> = {};
  if (refund.charge) extra.charge = refund.charge;
  if (refund.payment_intent) extra.payment_intent = refund.payment_intent;
  const failureCode =
    refund.failure_reason ?? (refund.status === 'canceled' ? 'canceled' : 'unknown');
  return {
    status,
    refundReference: Object.keys(extra).length ? { id: refund.id, extra } : { id: refund.id },
    amount: fromStripeAmount(refund.amount, refund.currency),
    ...(status === 'failed'
      ? {
          failure: {
            gatewayCode: failureCode,
            message: `Stripe refund ${refund.status}: ${failureCode}`,
          },
        }
      : {}),
  };
}

// ---------- webhooks ----------

export const STRIPE_WEBHOOK_ACKNOWLEDGEMENT: WebhookAcknowledgement = {
  status: 200,
  contentType: 'application/json',
  body: '{"received":true}',
};

const PAYMENT_INTENT_EVENTS: Readonly<Record<string, GatewayEventType>> = {
  'payment_intent.processing': 'payment.pending',
  'payment_intent.requires_action': 'payment.pending',
  'payment_intent.partially_funded': 'payment.pending',
  'payment_intent.amount_capturable_updated': 'payment.authorized',
  'payment_intent.succeeded': 'payment.captured',
  'payment_intent.payment_failed': 'payment.declined',
  'payment_intent.canceled': 'payment.cancelled',
};

const REFUND_EVENTS = new Set([
  'charge.refund.updated',
  'refund.created',
  'refund.updated',
  'refund.failed',
]);

const DISPUTE_EVENTS: Readonly<Record<string, GatewayEventType>> = {
  'charge.dispute.created': 'dispute.opened',
  'charge.dispute.updated': 'dispute.updated',
  'charge.dispute.funds_withdrawn': 'dispute.updated',
  'charge.dispute.funds_reinstated': 'dispute.updated',
  'charge.dispute.closed': 'dispute.closed',
};

/** Event types we translate; any other type is acknowledged and ignored. */
export const STRIPE_HANDLED_EVENT_TYPES: readonly string[] = [
  ...Object.keys(PAYMENT_INTENT_EVENTS),
  ...REFUND_EVENTS,
  'charge.refunded',
  ...Object.keys(DISPUTE_EVENTS),
];

const REFUND_EVENT_TYPE: Readonly<Record<RefundStatus, GatewayEventType>> = {
  succeeded: 'refund.succeeded',
  pending: 'refund.pending',
  failed: 'refund.failed',
};

function baseEvent(
  event: StripeEvent,
): Pick<GatewayEvent, 'gatewayCode' | 'gatewayEventId' | 'occurredAt' | 'trust'> {
  return {
    gatewayCode: 'stripe',
    gatewayEventId: event.id,
    occurredAt: new Date(event.created * 1000),
    trust: 'signature',
  };
}

function fromPaymentIntentEvent(event: StripeEvent, type: GatewayEventType): GatewayEvent {
  const intent = event.data.object as StripePaymentIntent;
  const amount =
    type === 'payment.captured'
      ? intent.amount_received
      : type === 'payment.authorized'
        ? intent.amount_capturable
        : intent.amount;
  const attemptId = intent.metadata?.[STRIPE_METADATA_ATTEMPT_ID];
  return {
    ...baseEvent(event),
    type,
    reference: toReference(intent),
    ...(attemptId ? { attemptId } : {}),
    amount: fromStripeAmount(amount, intent.currency),
    ...(type === 'payment.declined' && intent.last_payment_error
      ? { decline: toDecline(intent.last_payment_error) }
      : {}),
  };
}

function fromRefundEvent(event: StripeEvent): GatewayEvent {
  const refund = event.data.object as StripeRefund;
  const type =
    event.type === 'refund.failed'
      ? 'refund.failed'
      : REFUND_EVENT_TYPE[toRefundStatus(refund.status)];
  return {
    ...baseEvent(event),
    type,
    reference: { id: refund.payment_intent ?? refund.charge ?? refund.id },
    amount: fromStripeAmount(refund.amount, refund.currency),
    refundReference: fromRefund(refund).refundReference,
  };
}

function fromChargeRefundedEvent(event: StripeEvent): GatewayEvent {
  const charge = event.data.object as StripeCharge;
  // Stripe lists refunds newest first; the newest one is what this event announces.
  const latest = charge.refunds?.data[0];
  return {
    ...baseEvent(event),
    type: latest ? REFUND_EVENT_TYPE[toRefundStatus(latest.status)] : 'refund.succeeded',
    reference: { id: charge.payment_intent ?? charge.id },
    amount: fromStripeAmount(latest ? latest.amount : charge.amount_refunded, charge.currency),
    ...(latest ? { refundReference: fromRefund(latest).refundReference } : {}),
  };
}

function fromDisputeEvent(event: StripeEvent, type: GatewayEventType): GatewayEvent {
  const dispute = event.data.object as StripeDispute;
  const amount = fromStripeAmount(dispute.amount, dispute.currency);
  return {
    ...baseEvent(event),
    type,
    reference: { id: dispute.payment_intent ?? dispute.charge },
    amount,
    dispute: {
      disputeReference: dispute.id,
      reason: dispute.reason,
      status: dispute.status,
      amount,
    },
  };
}

/** One Stripe event -> at most one of ours (so event.id stays a unique dedupe key). */
export function fromStripeEvent(event: StripeEvent): GatewayEvent | undefined {
  const paymentType = PAYMENT_INTENT_EVENTS[event.type];
  if (paymentType) return fromPaymentIntentEvent(event, paymentType);
  if (REFUND_EVENTS.has(event.type)) return fromRefundEvent(event);
  if (event.type === 'charge.refunded') return fromChargeRefundedEvent(event);
  const disputeType = DISPUTE_EVENTS[event.type];
  if (disputeType) return fromDisputeEvent(event, disputeType);
  return undefined;
}

/** Structural check of a parsed webhook body before it is trusted as a Stripe event. */
export function isStripeEvent(value: unknown): value is StripeEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<StripeEvent>;
  return (
    event.object === 'event' &&
    typeof event.id === 'string' &&
    typeof event.type === 'string' &&
    typeof event.created === 'number' &&
    typeof event.data === 'object' &&
    event.data !== null &&
    typeof event.data.object === 'object' &&
    event.data.object !== null
  );
}
