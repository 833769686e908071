import {
  fromDecimalString,
  MoneyFormatError,
  toDecimalString,
  type Money,
} from '../../common/money/money';
import { GatewayError, type GatewayErrorKind } from '../gateway.error';
import type {
  ChargeOutcome,
  Decline,
  GatewayEvent,
  GatewayEventType,
  GatewayReference,
  InitiateRequest,
  PayoutOutcome,
  PayoutRequest,
  PayoutStatus,
  RefundOutcome,
  RefundStatus,
} from '../payment-gateway';
import type {
  PaypalAuthorization,
  PaypalAuthorizationStatus,
  PaypalCapture,
  PaypalCaptureStatus,
  PaypalDispute,
  PaypalErrorResponse,
  PaypalIntent,
  PaypalLink,
  PaypalMoney,
  PaypalOrder,
  PaypalOrderRequest,
  PaypalOrderStatus,
  PaypalPayoutBatch,
  PaypalPayoutBatchStatus,
  PaypalPayoutItem,
  PaypalPayoutItemStatus,
  PaypalPayoutMoney,
  PaypalPayoutRequest,
  PaypalRefund,
  PaypalRefundRequest,
  PaypalRefundStatus,
  PaypalWebhookEvent,
} from './paypal.types';

// Currencies PayPal REST accepts [I: PayPal currency-codes page, recalled].
export const PAYPAL_CURRENCIES = [
  'AUD',
  'BRL',
  'CAD',
  'CHF',
  'CNY',
  'CZK',
  'DKK',
  'EUR',
  'GBP',
  'HKD',
  'HUF',
  'ILS',
  'JPY',
  'MXN',
  'MYR',
  'NOK',
  'NZD',
  'PHP',
  'PLN',
  'SEK',
  'SGD',
  'THB',
  'TWD',
  'USD',
] as const;

// ISO gives HUF and TWD two decimals, but PayPal takes whole units only.
const WHOLE_UNITS_ONLY: Readonly<Record<string, number>> = { HUF: 100, TWD: 100 };

// ---------------------------------------------------------------- money

/** Whether PayPal can carry this amount exactly (HUF/TWD must be whole units). */
export function isPaypalAmount(money: Money): boolean {
  const divisor = WHOLE_UNITS_ONLY[money.currency];
  return divisor === undefined || money.amountMinor % divisor === 0;
}

export function toPaypalValue(money: Money): string {
  const divisor = WHOLE_UNITS_ONLY[money.currency];
  if (divisor !== undefined) {
    if (money.amountMinor % divisor !== 0) {
      throw new MoneyFormatError(
        `PayPal takes whole ${money.currency} only, got ${money.amountMinor} minor units`,
      );
    }
    return String(money.amountMinor / divisor);
  }
  return toDecimalString(money.amountMinor, money.currency);
}

export function toPaypalMoney(money: Money): PaypalMoney {
  return { currency_code: money.currency, value: toPaypalValue(money) };
}

export function toPaypalPayoutMoney(money: Money): PaypalPayoutMoney {
  return { currency: money.currency, value: toPaypalValue(money) };
}

function parseMoney(value: string, currency: string): Money {
  try {
    return { amountMinor: fromDecimalString(value, currency), currency: currency.toUpperCase() };
  } catch (error) {
    throw new GatewayError(
      'bad_response',
      `paypal sent an unreadable amount "${value}" ${currency}`,
      {
        gatewayCode: 'paypal',
        cause: error,
      },
    );
  }
}

export function fromPaypalMoney(money: PaypalMoney): Money {
  return parseMoney(money.value, money.currency_code);
}

export function fromPaypalPayoutMoney(money: PaypalPayoutMoney): Money {
  return parseMoney(money.value, money.currency);
}

// ---------------------------------------------------------------- requests

// PayPal-Request-Id is at most 108 characters.
const MAX_REQUEST_ID = 108;

/** Deterministic PayPal-Request-Id: the same operation on the same key is the same request. */
export function toRequestId(
  operation: string,
  key: string,
  hash: (value: string) => string,
): string {
  const plain = `payrail-${operation}-${key}`;
  return plain.length <= MAX_REQUEST_ID ? plain : `payrail-${operation}-${hash(key).slice(0, 64)}`;
}

const truncate = (value: string | undefined, max: number): string | undefined =>
  value === undefined || value === '' ? undefined : value.slice(0, max);

export function toOrderRequest(request: InitiateRequest, brandName?: string): PaypalOrderRequest {
  return {
    intent: request.captureMode === 'manual' ? 'AUTHORIZE' : 'CAPTURE',
    purchase_units: [
      {
        reference_id: 'default',
        description: truncate(request.description, 127),
        // Both echo our attempt id back in captures, webhooks and disputes.
        custom_id: truncate(request.attemptId, 127),
        invoice_id: truncate(request.attemptId, 127),
        amount: toPaypalMoney(request.amount),
      },
    ],
    payment_source: {
      paypal: {
        email_address: request.customer.email,
        experience_context: {
          return_url: request.returnUrl,
          cancel_url: request.cancelUrl ?? request.returnUrl,
          brand_name: truncate(brandName, 127),
          user_action: request.captureMode === 'manual' ? 'CONTINUE' : 'PAY_NOW',
          shipping_preference: 'NO_SHIPPING',
        },
      },
    },
  };
}

export function toRefundRequest(
  amount: Money | undefined,
  refundId: string,
  reason?: string,
): PaypalRefundRequest {
  return {
    ...(amount ? { amount: toPaypalMoney(amount) } : {}),
    custom_id: truncate(refundId, 127),
    note_to_payer: truncate(reason, 255),
  };
}

export function toPayoutRequest(request: PayoutRequest): PaypalPayoutRequest {
  const { email, phone } = request.recipient;
  return {
    sender_batch_header: {
      sender_batch_id: request.payoutId,
      email_subject: 'You have a payout',
      email_message: truncate(request.note, 1000),
    },
    items: [
      {
        recipient_type: email ? 'EMAIL' : 'PHONE',
        amount: toPaypalPayoutMoney(request.amount),
        receiver: email ?? phone ?? '',
        note: truncate(request.note, 4000),
        sender_item_id: request.payoutId,
      },
    ],
  };
}

// ---------------------------------------------------------------- statuses

type OrderMeaning = 'requires_action' | 'pending' | 'payments' | 'cancelled';
const ORDER_STATUS: Record<PaypalOrderStatus, OrderMeaning> = {
  CREATED: 'requires_action',
  PAYER_ACTION_REQUIRED: 'requires_action',
  SAVED: 'pending',
  // Approved by the buyer, but no money moves until we capture or authorize.
  APPROVED: 'pending',
  VOIDED: 'cancelled',
  // Only the capture/authorization inside says whether money moved.
  COMPLETED: 'payments',
};

type CaptureMeaning = 'captured' | 'pending' | 'declined';
const CAPTURE_STATUS: Record<PaypalCaptureStatus, CaptureMeaning> = {
  COMPLETED: 'captured',
  PARTIALLY_REFUNDED: 'captured',
  REFUNDED: 'captured',
  PENDING: 'pending',
  DECLINED: 'declined',
  FAILED: 'declined',
};

type AuthorizationMeaning = 'authorized' | 'captured' | 'pending' | 'declined' | 'cancelled';
const AUTHORIZATION_STATUS: Record<PaypalAuthorizationStatus, AuthorizationMeaning> = {
  CREATED: 'authorized',
  PARTIALLY_CAPTURED: 'authorized',
  CAPTURED: 'captured',
  PENDING: 'pending',
  DENIED: 'declined',
  VOIDED: 'cancelled',
};

const REFUND_STATUS: Record<PaypalRefundStatus, RefundStatus> = {
  COMPLETED: 'succeeded',
  PENDING: 'pending',
  FAILED: 'failed',
  CANCELLED: 'failed',
};

const PAYOUT_ITEM_STATUS: Record<PaypalPayoutItemStatus, PayoutStatus> = {
  SUCCESS: 'succeeded',
  PENDING: 'pending',
  NEW: 'pending',
  ONHOLD: 'pending',
  // Recipient has no account yet: PayPal holds the money for 30 days.
  UNCLAIMED: 'pending',
  FAILED: 'failed',
  RETURNED: 'failed',
  BLOCKED: 'failed',
  REFUNDED: 'failed',
  REVERSED: 'failed',
  DENIED: 'failed',
  CANCELED: 'failed',
};

const PAYOUT_BATCH_STATUS: Record<PaypalPayoutBatchStatus, PayoutStatus> = {
  PENDING: 'pending',
  PROCESSING: 'pending',
  // A finished batch still has per-item results; without them we cannot call it a success.
  SUCCESS: 'pending',
  DENIED: 'failed',
  CANCELED: 'failed',
};

export const toOrderMeaning = (status: string): OrderMeaning =>
  ORDER_STATUS[status as PaypalOrderStatus] ?? 'pending';
export const toCaptureMeaning = (status: string): CaptureMeaning =>
  CAPTURE_STATUS[status as PaypalCaptureStatus] ?? 'pending';
export const toAuthorizationMeaning = (status: string): AuthorizationMeaning =>
  AUTHORIZATION_STATUS[status as PaypalAuthorizationStatus] ?? 'pending';
export const toRefundStatus = (status: string): RefundStatus =>
  REFUND_STATUS[status as PaypalRefundStatus] ?? 'pending';
export const toPayoutItemStatus = (status: string): PayoutStatus =>
  PAYOUT_ITEM_STATUS[status as PaypalPayoutItemStatus] ?? 'pending';
export const toPayoutBatchStatus = (status: string): PayoutStatus =>
  PAYOUT_BATCH_STATUS[status as PaypalPayoutBatchStatus] ?? 'pending';

// ---------------------------------------------------------------- outcomes

/** The approve or payer-action link, whichever PayPal sent. */
export function approvalUrl(links: readonly PaypalLink[] | undefined): string | undefined {
  return links?.find((link) => link.rel === 'payer-action' || link.rel === 'approve')?.href;
}

const compact = (values: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

export function orderReference(
  orderId: string,
  values: { intent?: string; captureId?: string; authorizationId?: string },
): GatewayReference {
  return { id: orderId, extra: compact(values) };
}

function captureDecline(capture: { status: string; status_details?: { reason: string } }): Decline {
  return {
    gatewayCode: capture.status_details?.reason ?? capture.status,
    message: `PayPal ${capture.status.toLowerCase()} the payment`,
    retryable: true,
  };
}

export function captureToOutcome(
  capture: PaypalCapture,
  reference: GatewayReference,
): ChargeOutcome {
  const withCapture: GatewayReference = {
    id: reference.id,
    extra: { ...reference.extra, captureId: capture.id },
  };
  switch (toCaptureMeaning(capture.status)) {
    case 'captured':
      if (!capture.amount) return { status: 'pending', reference: withCapture };
      return {
        status: 'captured',
        reference: withCapture,
        capturedAmount: fromPaypalMoney(capture.amount),
      };
    case 'declined':
      return { status: 'declined', reference: withCapture, decline: captureDecline(capture) };
    default:
      return { status: 'pending', reference: withCapture };
  }
}

export function authorizationToOutcome(
  authorization: PaypalAuthorization,
  reference: GatewayReference,
): ChargeOutcome {
  const withAuthorization: GatewayReference = {
    id: reference.id,
    extra: { ...reference.extra, authorizationId: authorization.id },
  };
  const meaning = toAuthorizationMeaning(authorization.status);
  if ((meaning === 'authorized' || meaning === 'captured') && authorization.amount) {
    const amount = fromPaypalMoney(authorization.amount);
    return meaning === 'authorized'
      ? { status: 'authorized', reference: withAuthorization, authorizedAmount: amount }
      : { status: 'captured', reference: withAuthorization, capturedAmount: amount };
  }
  if (meaning === 'declined') {
    return {
      status: 'declined',
      reference: withAuthorization,
      decline: captureDecline(authorization),
    };
  }
  if (meaning === 'cancelled')
    return { status: 'cancelled', reference: withAuthorization, reason: 'voided' };
  return { status: 'pending', reference: withAuthorization };
}

/** The truth about an order: its status, then the captures/authorizations inside it. */
export function orderToOutcome(order: PaypalOrder, knownIntent?: string): ChargeOutcome {
  const payments = order.purchase_units?.[0]?.payments;
  const captures = payments?.captures ?? [];
  const authorizations = payments?.authorizations ?? [];
  const latestCapture = captures[captures.length - 1];
  const latestAuthorization = authorizations[authorizations.length - 1];
  const reference = orderReference(order.id, {
    intent: order.intent ?? knownIntent,
    captureId: latestCapture?.id,
    authorizationId: latestAuthorization?.id,
  });
  switch (toOrderMeaning(order.status)) {
    case 'requires_action': {
      const url = approvalUrl(order.links);
      return url
        ? { status: 'requires_action', reference, nextAction: { type: 'approval', url } }
        : { status: 'pending', reference };
    }
    case 'cancelled':
      return { status: 'cancelled', reference, reason: 'order voided' };
    case 'pending':
      return { status: 'pending', reference };
    case 'payments':
      break;
  }
  const captured = captures.filter(
    (capture) => toCaptureMeaning(capture.status) === 'captured' && capture.amount,
  );
  if (captured.length > 0) {
    const amounts = captured.map((capture) => fromPaypalMoney(capture.amount!));
    const total = amounts.reduce((sum, amount) => sum + amount.amountMinor, 0);
    return {
      status: 'captured',
      reference,
      capturedAmount: { amountMinor: total, currency: amounts[0].currency },
    };
  }
  if (latestCapture) return captureToOutcome(latestCapture, reference);
  if (latestAuthorization) return authorizationToOutcome(latestAuthorization, reference);
  return { status: 'pending', reference };
}

export function refundToOutcome(
  refund: PaypalRefund,
  captureId: string,
  requested?: Money,
): RefundOutcome {
  const status = toRefundStatus(refund.status);
  const amount = refund.amount ? fromPaypalMoney(refund.amount) : requested;
  if (!amount) {
    throw new GatewayError('bad_response', `paypal refund ${refund.id} carries no amount`, {
      gatewayCode: 'paypal',
    });
  }
  return {
    status,
    refundReference: { id: refund.id, extra: { captureId } },
    amount,
    ...(status === 'failed'
      ? {
          failure: {
            gatewayCode: refund.status_details?.reason ?? refund.status,
            message: `PayPal refund ${refund.status.toLowerCase()}`,
          },
        }
      : {}),
  };
}

function payoutItemOutcome(item: PaypalPayoutItem): PayoutOutcome {
  const status = toPayoutItemStatus(item.transaction_status);
  return {
    status,
    payoutReference: { id: item.payout_batch_id, extra: { payoutItemId: item.payout_item_id } },
    amount: fromPaypalPayoutMoney(item.payout_item.amount),
    ...(status === 'failed'
      ? {
          failure: {
            gatewayCode: item.errors?.name ?? item.transaction_status,
            message:
              item.errors?.message ?? `PayPal payout item ${item.transaction_status.toLowerCase()}`,
          },
        }
      : {}),
  };
}

export function payoutBatchToOutcome(batch: PaypalPayoutBatch, requested: Money): PayoutOutcome {
  const item = batch.items?.[0];
  if (item) return payoutItemOutcome(item);
  const status = toPayoutBatchStatus(batch.batch_header.batch_status);
  return {
    status,
    payoutReference: { id: batch.batch_header.payout_batch_id },
    amount: batch.batch_header.amount
      ? fromPaypalPayoutMoney(batch.batch_header.amount)
      : requested,
    ...(status === 'failed'
      ? {
          failure: {
            gatewayCode: batch.batch_header.batch_status,
            message: 'PayPal payout batch refused',
          },
        }
      : {}),
  };
}

// ---------------------------------------------------------------- errors

export type PaypalErrorMeaning =
  | { readonly outcome: 'decline'; readonly retryable: boolean }
  | { readonly outcome: 'error'; readonly kind: GatewayErrorKind; readonly retryable?: boolean };

const decline = (retryable: boolean): PaypalErrorMeaning => ({ outcome: 'decline', retryable });
const error = (kind: GatewayErrorKind, retryable?: boolean): PaypalErrorMeaning => ({
  outcome: 'error',
  kind,
  retryable,
});

/** `details[].issue` codes. Declines are outcomes; the rest become GatewayErrors. */
export const PAYPAL_ISSUES: Readonly<Record<string, PaypalErrorMeaning>> = {
  // The buyer's funding was refused: a decline. Retryable when another funding source may work.
  INSTRUMENT_DECLINED: decline(true),
  PAYER_ACTION_REQUIRED: decline(true),
  REDIRECT_PAYER_FOR_ALTERNATE_FUNDING: decline(true),
  TRANSACTION_LIMIT_EXCEEDED: decline(true),
  PAYEE_BLOCKED_TRANSACTION: decline(true),
  TRANSACTION_REFUSED: decline(false),
  PAYER_CANNOT_PAY: decline(false),
  PAYMENT_DENIED: decline(false),
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: decline(false),
  COMPLIANCE_VIOLATION: decline(false),
  // Order / authorization state.
  ORDER_NOT_APPROVED: error('rejected'),
  ORDER_ALREADY_CAPTURED: error('rejected'),
  ORDER_ALREADY_AUTHORIZED: error('rejected'),
  ORDER_COMPLETION_IN_PROGRESS: error('rejected', true),
  ACTION_DOES_NOT_MATCH_INTENT: error('rejected'),
  DUPLICATE_INVOICE_ID: error('rejected'),
  DUPLICATE_REQUEST_ID: error('rejected'),
  CANNOT_BE_VOIDED: error('rejected'),
  PREVIOUSLY_CAPTURED: error('rejected'),
  PREVIOUSLY_VOIDED: error('rejected'),
  AUTHORIZATION_VOIDED: error('rejected'),
  AUTHORIZATION_EXPIRED: error('rejected'),
  AUTHORIZATION_ALREADY_CAPTURED: error('rejected'),
  MAX_CAPTURE_AMOUNT_EXCEEDED: error('rejected'),
  MAX_CAPTURE_COUNT_EXCEEDED: error('rejected'),
  // Refunds.
  CAPTURE_FULLY_REFUNDED: error('rejected'),
  REFUND_AMOUNT_EXCEEDED: error('rejected'),
  REFUND_TIME_LIMIT_EXCEEDED: error('rejected'),
  PARTIAL_REFUND_NOT_ALLOWED: error('rejected'),
  REFUND_NOT_ALLOWED: error('rejected'),
  TRANSACTION_DISPUTED: error('rejected'),
  REFUND_NOT_PERMITTED_DUE_TO_CHARGEBACK: error('rejected'),
  MAX_NUMBER_OF_REFUNDS_EXCEEDED: error('rejected'),
  REFUND_AMOUNT_TOO_LOW: error('rejected'),
  PENDING_CAPTURE: error('rejected', true),
  REFUND_FAILED_INSUFFICIENT_FUNDS: error('rejected', true),
  // Validation.
  INVALID_PARAMETER_SYNTAX: error('rejected'),
  INVALID_PARAMETER_VALUE: error('rejected'),
  INVALID_STRING_LENGTH: error('rejected'),
  MALFORMED_REQUEST_JSON: error('rejected'),
  MISSING_REQUIRED_PARAMETER: error('rejected'),
  INVALID_RESOURCE_ID: error('rejected'),
  CURRENCY_MISMATCH: error('rejected'),
  CURRENCY_NOT_SUPPORTED: error('rejected'),
  DECIMAL_PRECISION: error('rejected'),
  DECIMALS_NOT_SUPPORTED: error('rejected'),
  CANNOT_BE_ZERO_OR_NEGATIVE: error('rejected'),
  // Our account or app.
  PERMISSION_DENIED: error('misconfigured'),
  CONSENT_NEEDED: error('misconfigured'),
  // Payouts [I].
  INSUFFICIENT_FUNDS: error('rejected', true),
  RECEIVER_UNREGISTERED: error('rejected'),
};

/** The top-level `name`, used when no detail issue is known. */
export const PAYPAL_ERROR_NAMES: Readonly<Record<string, PaypalErrorMeaning>> = {
  INVALID_REQUEST: error('rejected'),
  AUTHENTICATION_FAILURE: error('misconfigured'),
  NOT_AUTHORIZED: error('misconfigured'),
  RESOURCE_NOT_FOUND: error('rejected'),
  RESOURCE_CONFLICT: error('rejected'),
  UNSUPPORTED_MEDIA_TYPE: error('rejected'),
  UNPROCESSABLE_ENTITY: error('rejected'),
  VALIDATION_ERROR: error('rejected'),
  USER_BUSINESS_ERROR: error('rejected'),
  INSUFFICIENT_FUNDS: error('rejected', true),
  RATE_LIMIT_REACHED: error('unavailable'),
  INTERNAL_SERVER_ERROR: error('unavailable'),
  SERVICE_UNAVAILABLE: error('unavailable'),
};

export interface ClassifiedPaypalError {
  readonly meaning: PaypalErrorMeaning;
  /** The most specific code: the first detail issue, else the name. */
  readonly code: string;
  readonly message: string;
  readonly debugId?: string;
}

function fallbackKind(httpStatus: number): GatewayErrorKind {
  if (httpStatus === 401 || httpStatus === 403) return 'misconfigured';
  if (httpStatus === 429 || httpStatus >= 500) return 'unavailable';
  return 'rejected';
}

export function classifyPaypalError(
  httpStatus: number,
  body: Partial<PaypalErrorResponse> | undefined,
): ClassifiedPaypalError {
  const issue = body?.details?.find((detail) => typeof detail.issue === 'string')?.issue;
  const name = typeof body?.name === 'string' ? body.name : undefined;
  const meaning =
    (issue ? PAYPAL_ISSUES[issue] : undefined) ??
    (name ? PAYPAL_ERROR_NAMES[name] : undefined) ??
    error(fallbackKind(httpStatus));
  const description = body?.details?.find((detail) => detail.issue === issue)?.description;
  return {
    meaning,
    code: issue ?? name ?? `HTTP_${httpStatus}`,
    message:
      [body?.message, description].filter(Boolean).join(' ') ||
      `PayPal answered HTTP ${httpStatus}`,
    debugId: body?.debug_id,
  };
}

// ---------------------------------------------------------------- webhooks

type EventMapper = (event: PaypalWebhookEvent) => GatewayEvent[];

const occurredAt = (
  event: PaypalWebhookEvent,
  resource?: { update_time?: string; create_time?: string },
): Date | undefined => {
  const raw = resource?.update_time ?? resource?.create_time ?? event.create_time;
  const date = raw ? new Date(raw) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
};

function baseEvent(
  event: PaypalWebhookEvent,
  type: GatewayEventType,
  reference: GatewayReference,
): GatewayEvent {
  return { gatewayCode: 'paypal', gatewayEventId: event.id, type, reference, trust: 'signature' };
}

/** The capture id from a refund's `up` link (…/v2/payments/captures/{id}). */
function captureIdFromLinks(links: readonly PaypalLink[] | undefined): string | undefined {
  const up = links?.find((link) => link.rel === 'up')?.href;
  return up ? /\/captures\/([^/?]+)/.exec(up)?.[1] : undefined;
}

const captureEvent =
  (type: GatewayEventType): EventMapper =>
  (event) => {
    const capture = event.resource as PaypalCapture;
    const related = capture.supplementary_data?.related_ids;
    const reference = orderReference(related?.order_id ?? capture.id, {
      captureId: capture.id,
      authorizationId: related?.authorization_id,
    });
    return [
      {
        ...baseEvent(event, type, reference),
        attemptId: capture.custom_id ?? capture.invoice_id,
        amount: capture.amount ? fromPaypalMoney(capture.amount) : undefined,
        occurredAt: occurredAt(event, capture),
        ...(type === 'payment.declined' ? { decline: captureDecline(capture) } : {}),
      },
    ];
  };

const REFUND_EVENT: Record<RefundStatus, GatewayEventType> = {
  succeeded: 'refund.succeeded',
  pending: 'refund.pending',
  failed: 'refund.failed',
};

// PAYMENT.CAPTURE.REFUNDED and .REVERSED both carry a refund resource.
const refundEvent: EventMapper = (event) => {
  const refund = event.resource as PaypalRefund;
  const related = refund.supplementary_data?.related_ids;
  const captureId = related?.capture_id ?? captureIdFromLinks(refund.links);
  const reference = orderReference(related?.order_id ?? captureId ?? refund.id, { captureId });
  return [
    {
      ...baseEvent(event, REFUND_EVENT[toRefundStatus(refund.status)], reference),
      attemptId: undefined,
      amount: refund.amount ? fromPaypalMoney(refund.amount) : undefined,
      occurredAt: occurredAt(event, refund),
      refundReference: {
        id: refund.id,
        extra: compact({
          captureId,
          reversal: event.event_type === 'PAYMENT.CAPTURE.REVERSED' ? 'true' : undefined,
        }),
      },
    },
  ];
};

const orderEvent =
  (type: GatewayEventType): EventMapper =>
  (event) => {
    const order = event.resource as PaypalOrder;
    const unit = order.purchase_units?.[0];
    return [
      {
        ...baseEvent(event, type, orderReference(order.id, { intent: order.intent })),
        attemptId: unit?.custom_id ?? unit?.invoice_id,
        amount: unit?.amount ? fromPaypalMoney(unit.amount) : undefined,
        occurredAt: occurredAt(event, order),
      },
    ];
  };

// CHECKOUT.ORDER.COMPLETED: the order's payments say what actually happened.
const orderCompletedEvent: EventMapper = (event) => {
  const outcome = orderToOutcome(event.resource as PaypalOrder);
  const type: GatewayEventType | undefined = {
    captured: 'payment.captured',
    authorized: 'payment.authorized',
    declined: 'payment.declined',
    cancelled: 'payment.cancelled',
    pending: 'payment.pending',
    requires_action: 'payment.pending',
  }[outcome.status] as GatewayEventType;
  const [base] = orderEvent(type)(event);
  return [{ ...base, reference: outcome.reference ?? base.reference }];
};

const authorizationEvent =
  (type: GatewayEventType): EventMapper =>
  (event) => {
    const authorization = event.resource as PaypalAuthorization;
    const related = authorization.supplementary_data?.related_ids;
    const reference = orderReference(related?.order_id ?? authorization.id, {
      intent: 'AUTHORIZE',
      authorizationId: authorization.id,
    });
    return [
      {
        ...baseEvent(event, type, reference),
        attemptId: authorization.custom_id ?? authorization.invoice_id,
        amount: authorization.amount ? fromPaypalMoney(authorization.amount) : undefined,
        occurredAt: occurredAt(event, authorization),
      },
    ];
  };

// Disputes name the capture (seller_transaction_id), not the order: reference.id is the capture id.
const disputeEvent =
  (type: GatewayEventType): EventMapper =>
  (event) => {
    const dispute = event.resource as PaypalDispute;
    const transaction = dispute.disputed_transactions?.[0];
    const captureId = transaction?.seller_transaction_id;
    const amount = dispute.dispute_amount ? fromPaypalMoney(dispute.dispute_amount) : undefined;
    return [
      {
        ...baseEvent(event, type, orderReference(captureId ?? dispute.dispute_id, { captureId })),
        attemptId: transaction?.custom ?? transaction?.invoice_number,
        amount,
        occurredAt: occurredAt(event, dispute),
        dispute: {
          disputeReference: dispute.dispute_id,
          reason: dispute.reason,
          status: dispute.dispute_outcome?.outcome_code ?? dispute.status,
          amount,
        },
      },
    ];
  };

const payoutItemEvent =
  (type: GatewayEventType): EventMapper =>
  (event) => {
    const item = event.resource as PaypalPayoutItem;
    const outcome = payoutItemOutcome(item);
    return [
      {
        ...baseEvent(event, type, { id: item.payout_batch_id }),
        attemptId: item.payout_item.sender_item_id,
        amount: outcome.amount,
        occurredAt: occurredAt(event, { update_time: item.time_processed }),
        payoutReference: outcome.payoutReference,
      },
    ];
  };

const ignored: EventMapper = () => [];

/** Every event type we subscribe to. Anything else is acknowledged and ignored. */
export const PAYPAL_EVENT_MAPPERS: Readonly<Record<string, EventMapper>> = {
  'CHECKOUT.ORDER.APPROVED': orderEvent('payment.pending'),
  'CHECKOUT.ORDER.COMPLETED': orderCompletedEvent,
  'CHECKOUT.PAYMENT-APPROVAL.REVERSED': orderEvent('payment.cancelled'),
  'PAYMENT.AUTHORIZATION.CREATED': authorizationEvent('payment.authorized'),
  'PAYMENT.AUTHORIZATION.VOIDED': authorizationEvent('payment.cancelled'),
  'PAYMENT.CAPTURE.COMPLETED': captureEvent('payment.captured'),
  'PAYMENT.CAPTURE.PENDING': captureEvent('payment.pending'),
  'PAYMENT.CAPTURE.DENIED': captureEvent('payment.declined'),
  'PAYMENT.CAPTURE.DECLINED': captureEvent('payment.declined'),
  'PAYMENT.CAPTURE.REFUNDED': refundEvent,
  'PAYMENT.CAPTURE.REVERSED': refundEvent,
  'CUSTOMER.DISPUTE.CREATED': disputeEvent('dispute.opened'),
  'CUSTOMER.DISPUTE.UPDATED': disputeEvent('dispute.updated'),
  'CUSTOMER.DISPUTE.RESOLVED': disputeEvent('dispute.closed'),
  'PAYMENT.PAYOUTS-ITEM.SUCCEEDED': payoutItemEvent('payout.succeeded'),
  'PAYMENT.PAYOUTS-ITEM.FAILED': payoutItemEvent('payout.failed'),
  'PAYMENT.PAYOUTS-ITEM.BLOCKED': payoutItemEvent('payout.failed'),
  'PAYMENT.PAYOUTS-ITEM.CANCELED': payoutItemEvent('payout.failed'),
  'PAYMENT.PAYOUTS-ITEM.DENIED': payoutItemEvent('payout.failed'),
  'PAYMENT.PAYOUTS-ITEM.REFUNDED': payoutItemEvent('payout.failed'),
  'PAYMENT.PAYOUTS-ITEM.RETURNED': payoutItemEvent('payout.failed'),
  // Still in flight: no event of ours until it settles.
  'PAYMENT.PAYOUTS-ITEM.HELD': ignored,
  'PAYMENT.PAYOUTS-ITEM.UNCLAIMED': ignored,
};

/** Translates a verified PayPal event into ours (zero events for types we do not use). */
export function toGatewayEvents(event: PaypalWebhookEvent): GatewayEvent[] {
  if (!event.resource || typeof event.resource !== 'object') {
    throw new GatewayError('invalid_webhook', `paypal event ${event.id} has no resource`, {
      gatewayCode: 'paypal',
    });
  }
  const mapper = PAYPAL_EVENT_MAPPERS[event.event_type] ?? ignored;
  return mapper(event);
}

/** Narrows the parsed body to an event envelope or throws invalid_webhook. */
export function asWebhookEvent(value: unknown): PaypalWebhookEvent {
  const candidate = value as Partial<PaypalWebhookEvent> | null;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    typeof candidate.id !== 'string' ||
    typeof candidate.event_type !== 'string'
  ) {
    throw new GatewayError('invalid_webhook', 'paypal webhook body is not an event envelope', {
      gatewayCode: 'paypal',
    });
  }
  return candidate as PaypalWebhookEvent;
}

export const intentOf = (reference: GatewayReference): PaypalIntent =>
  reference.extra?.intent === 'AUTHORIZE' ? 'AUTHORIZE' : 'CAPTURE';
