import { createHash } from 'node:crypto';
import type { Money } from '../../common/money/money';
import type {
  ChargeOutcome,
  Decline,
  GatewayEvent,
  GatewayReference,
  InitiateRequest,
  RefundStatus,
} from '../payment-gateway';
import type {
  ZaakpayCheckoutFields,
  ZaakpayLateWebhookTxn,
  ZaakpayOrderStatus,
  ZaakpayRefundDetail,
  ZaakpayTransactResponse,
  ZaakpayWebhookTxn,
  ZaakpayWebhookTxnData,
} from './zaakpay.types';

// Pure translation between our domain and Zaakpay's wire. No I/O, no clock, no config reads.

export const ZAAKPAY_CURRENCY = 'INR';
/** Redirect-flow limits in paisa (₹1 – ₹1,00,000); the dashboard may set lower ones. */
export const ZAAKPAY_MIN_AMOUNT_PAISA = 100;
export const ZAAKPAY_MAX_AMOUNT_PAISA = 10_000_000;

// ---------------------------------------------------------------- transact (returnUrl, webhook)

/**
 * success: paid. declined: the buyer's payment failed. credentials: our merchant id or secret is
 * wrong. invalid_request: we sent something Zaakpay refuses. pending: not final yet.
 */
export type TransactResult = 'success' | 'declined' | 'credentials' | 'invalid_request' | 'pending';

export interface TransactCodeInfo {
  readonly description: string;
  readonly result: TransactResult;
  /** True when the buyer may succeed by trying again (possibly another card or gateway). */
  readonly retryable: boolean;
}

const code = (
  description: string,
  result: TransactResult,
  retryable = false,
): TransactCodeInfo => ({
  description,
  result,
  retryable,
});

function missingInvalidPairs(
  first: number,
  names: readonly string[],
): Record<string, TransactCodeInfo> {
  const entries: Record<string, TransactCodeInfo> = {};
  names.forEach((name, index) => {
    entries[String(first + index * 2)] = code(`${name} missing`, 'invalid_request');
    entries[String(first + index * 2 + 1)] = code(`${name} invalid`, 'invalid_request');
  });
  return entries;
}

function invalidRange(from: number, to: number, what: string): Record<string, TransactCodeInfo> {
  const entries: Record<string, TransactCodeInfo> = {};
  for (let value = from; value <= to; value++)
    entries[String(value)] = code(what, 'invalid_request');
  return entries;
}

/** Transact responseCodes (older published list, as coded in Zaakpay integration components). */
export const TRANSACT_RESPONSE_CODES: Readonly<Record<string, TransactCodeInfo>> = {
  '100': code('Transaction completed successfully', 'success'),
  '101': code('Merchant not found', 'credentials'),
  '102': code('Customer cancelled transaction', 'declined', true),
  '103': code('Fraud detected', 'declined'),
  '104': code('Customer not found', 'declined'),
  '105': code('Transaction details not matched', 'invalid_request'),
  '106': code('IP address blacklisted', 'declined'),
  '107': code('Transaction amount limit not matched', 'declined', true),
  '108': code('Validation successful', 'pending'),
  '109': code('Validation failed', 'invalid_request'),
  '110': code('merchantIdentifier missing (or orderId already processed)', 'credentials'),
  '111': code('merchantIdentifier invalid', 'credentials'),
  ...missingInvalidPairs(129, ['orderId', 'returnUrl', 'buyerEmail']),
  ...missingInvalidPairs(135, [
    'buyerFirstName',
    'buyerLastName',
    'buyerAddress',
    'buyerCity',
    'buyerState',
    'buyerCountry',
    'buyerPincode',
    'buyerPhoneNumber',
    'txnType',
    'zpPayOption',
    'mode',
    'currency',
    'amount',
  ]),
  ...invalidRange(161, 178, 'Optional field invalid (IP, purpose, product descriptions, shipTo*)'),
  '179': code('Date blank or invalid', 'invalid_request'),
  '180': code('Checksum received does not match checksum calculated', 'credentials'),
  '182': code('Merchant data not complete in Zaakpay DB', 'credentials'),
  '183': code('Transaction failed', 'declined', true),
  '400': code('Declined by issuing bank', 'declined', true),
  '401': code('Rejected by acquiring bank', 'declined', true),
};

export function transactCodeInfo(responseCode: string): TransactCodeInfo {
  // Unknown codes are not final: confirm with checkTxn.
  return (
    TRANSACT_RESPONSE_CODES[responseCode] ??
    code(`Unknown response code ${responseCode}`, 'pending')
  );
}

function declineFor(responseCode: string, description?: string): Decline {
  const info = transactCodeInfo(responseCode);
  return {
    gatewayCode: responseCode,
    message: description?.trim() || info.description,
    retryable: info.retryable,
  };
}

/** What a verified returnUrl POST says (still confirm with checkTxn before shipping goods). */
export function fromTransactResponse(response: ZaakpayTransactResponse): ChargeOutcome {
  const reference = referenceFor(response.orderId, response.pgTransId);
  const info = transactCodeInfo(response.responseCode);
  const amountMinor = paisaToMinor(response.amount);
  if (info.result === 'success' && amountMinor !== undefined) {
    return { status: 'captured', reference, capturedAmount: inr(amountMinor) };
  }
  if (info.result === 'pending' || info.result === 'success')
    return { status: 'pending', reference };
  return {
    status: 'declined',
    reference,
    decline: declineFor(response.responseCode, response.responseDescription),
  };
}

// ---------------------------------------------------------------- checkTxn

export type OrderState =
  | 'credentials'
  | 'request_error'
  | 'not_found'
  | 'in_progress'
  | 'authorized'
  | 'captured'
  | 'cancelled'
  | 'failed'
  | 'refund_pending'
  | 'refund_done';

export interface CheckTxnCodeInfo {
  readonly description: string;
  readonly state: OrderState;
  /** Counts as a successful payment. */
  readonly paid: boolean;
  readonly refundable: boolean;
}

const status = (
  description: string,
  state: OrderState,
  paid = false,
  refundable = false,
): CheckTxnCodeInfo => ({
  description,
  state,
  paid,
  refundable,
});

/** Check-status responseCodes with the doc's "successful payment" and "refundable" columns. */
export const CHECK_TXN_RESPONSE_CODES: Readonly<Record<string, CheckTxnCodeInfo>> = {
  '103': status('Fraud detected', 'failed'),
  '110': status('merchantIdentifier missing', 'credentials'),
  '111': status('merchantIdentifier invalid', 'credentials'),
  '129': status('orderId missing', 'request_error'),
  '155': status('mode missing', 'request_error'),
  '156': status('mode invalid', 'request_error'),
  '180': status('Checksum mismatch', 'credentials'),
  '182': status('Merchant data incomplete', 'credentials'),
  '189': status('Checksum blank', 'credentials'),
  '190': status('orderId not processed or rejected', 'failed'),
  '191': status('merchantIdentifier or orderId not valid', 'request_error'),
  '205': status('Transaction not found', 'not_found'),
  '206': status('Scheduled', 'in_progress'),
  '207': status('Initiated', 'in_progress'),
  '208': status('Processing', 'in_progress'),
  '209': status('Authorized', 'authorized'),
  '210': status('On hold', 'in_progress'),
  '211': status('Incomplete', 'in_progress'),
  '212': status('Settled', 'captured', true),
  '213': status('Cancelled', 'cancelled'),
  '223': status('Data validation success', 'in_progress'),
  '228': status('Captured', 'captured', true, true),
  '230': status('Refund initiated', 'refund_pending', true),
  '231': status('Refund completed', 'refund_done', true),
  '232': status('Payout initiated', 'captured', true, true),
  '233': status('Payout completed', 'captured', true, true),
  // Not marked as a successful payment in the doc: stay pending until clarified.
  '234': status('Payout error', 'in_progress'),
  '236': status('Refund paid out', 'refund_done', true),
  '237': status('Chargeback initiated', 'captured', true),
  '238': status('Chargeback processing', 'captured', true),
  '239': status('Chargeback accepted', 'captured', true),
  '240': status('Chargeback reverted', 'captured', true),
  '241': status('Chargeback revert complete', 'captured', true),
  '245': status('Partial refund initiated', 'refund_pending', true, true),
  '246': status('Partial chargeback initiated', 'captured', true, true),
  '247': status('Partial chargeback processing', 'captured', true, true),
  '248': status('Partial chargeback accepted', 'captured', true, true),
  '249': status('Partial chargeback reverted', 'captured', true, true),
  '251': status('Partial refund paid out', 'refund_done', true, true),
  '252': status('Partial refund completed', 'refund_done', true, true),
  '253': status('Refund before payout initiated', 'refund_pending', true, true),
  '254': status('Refund before payout processing', 'refund_pending', true, true),
  '255': status('Partial refund before payout initiated', 'refund_pending', true, true),
  '256': status('Refund before payout completed', 'refund_done', true),
  '400': status('Bank declined, retry with another card', 'failed'),
};

/** txnStatus: 0 success, 1 failure, 2 pending, 3 refund, 4 partial refund, 5–8 chargeback states. */
export const TXN_STATUS: Readonly<Record<string, OrderState>> = {
  '0': 'captured',
  '1': 'failed',
  '2': 'in_progress',
  '3': 'refund_done',
  '4': 'refund_done',
  '5': 'captured',
  '6': 'captured',
  '7': 'captured',
  '8': 'captured',
};

/** The order's state: the responseCode first, then txnStatus; anything unknown is in progress. */
export function orderStateOf(
  order: Pick<ZaakpayOrderStatus, 'responseCode' | 'txnStatus'>,
): OrderState {
  const known = CHECK_TXN_RESPONSE_CODES[order.responseCode];
  if (known) return known.state;
  return TXN_STATUS[order.txnStatus ?? ''] ?? 'in_progress';
}

export function fromOrderStatus(order: ZaakpayOrderStatus): ChargeOutcome {
  const reference = referenceFor(order.orderDetail.orderId, order.orderDetail.txnId);
  const amountMinor = paisaToMinor(order.orderDetail.amount);
  switch (orderStateOf(order)) {
    case 'captured':
    case 'refund_pending':
    case 'refund_done':
      if (amountMinor === undefined) return { status: 'pending', reference };
      return { status: 'captured', reference, capturedAmount: inr(amountMinor) };
    case 'authorized':
      if (amountMinor === undefined) return { status: 'pending', reference };
      return { status: 'authorized', reference, authorizedAmount: inr(amountMinor) };
    case 'cancelled':
      return { status: 'cancelled', reference, reason: order.responseDescription };
    case 'failed': {
      const known = CHECK_TXN_RESPONSE_CODES[order.responseCode];
      const decline = known
        ? {
            gatewayCode: order.responseCode,
            message: order.responseDescription || known.description,
            retryable: order.responseCode === '400',
          }
        : declineFor(order.responseCode, order.responseDescription);
      return { status: 'declined', reference, decline };
    }
    default:
      return { status: 'pending', reference };
  }
}

/**
 * A refund asked about by merchantRefId: the order's code then describes that refund. A paid
 * order that no longer shows a refund state means the refund was reversed (failed).
 */
export function refundStatusOf(order: ZaakpayOrderStatus): RefundStatus {
  if (!CHECK_TXN_RESPONSE_CODES[order.responseCode]) return 'pending';
  const state = orderStateOf(order);
  if (state === 'refund_done') return 'succeeded';
  if (state === 'refund_pending' || state === 'in_progress') return 'pending';
  return 'failed';
}

export function refundDetailFor(
  order: ZaakpayOrderStatus,
  merchantRefId: string,
): ZaakpayRefundDetail | undefined {
  const details = order.refundDetails ?? [];
  return (
    details.find((detail) => detail.merchantRefId === merchantRefId) ??
    (details.length === 1 ? details[0] : undefined)
  );
}

// ---------------------------------------------------------------- updateTxn

export type UpdateResult =
  'success' | 'pending' | 'failed' | 'request_error' | 'credentials' | 'try_again';

export interface UpdateCodeInfo {
  readonly description: string;
  readonly result: UpdateResult;
  /** The doc's "Retry?" column: worth sending again (after fixing the request if needed). */
  readonly retryable: boolean;
}

const update = (description: string, result: UpdateResult, retryable: boolean): UpdateCodeInfo => ({
  description,
  result,
  retryable,
});

/** Update/refund responseCodes (plus the request-level credential codes every API shares). */
export const UPDATE_TXN_RESPONSE_CODES: Readonly<Record<string, UpdateCodeInfo>> = {
  '19': update('Refund scheduled with bank', 'pending', false),
  '20': update('Full refund already scheduled', 'pending', false),
  '21': update('Earlier partial refunds still pending; use a new merchantRefId', 'pending', false),
  '110': update('merchantIdentifier missing', 'credentials', false),
  '111': update('merchantIdentifier invalid', 'credentials', false),
  '180': update('Checksum mismatch', 'credentials', false),
  '184': update('updateDesired blank', 'request_error', true),
  '185': update('updateDesired invalid', 'request_error', true),
  '186': update('updateReason blank', 'request_error', true),
  '187': update('updateReason invalid', 'request_error', true),
  '188': update('Transaction id invalid', 'request_error', false),
  '189': update('Checksum blank', 'credentials', true),
  '190': update('orderId not processed or rejected', 'failed', false),
  '201': update('Transaction cannot be refunded', 'failed', true),
  '203': update('Status could not be updated, try again', 'try_again', true),
  '229': update('Transaction cannot be captured', 'failed', false),
  '230': update('Full refund initiated', 'success', false),
  '242': update('Captured successfully', 'success', false),
  '243': update('Cancelled successfully', 'success', false),
  '245': update('Partial refund initiated', 'success', false),
  '843': update('Not enough unsettled funds', 'failed', true),
  '844': update('Cannot refund from Settled state', 'failed', true),
  '846': update('Transaction older than 6 months', 'failed', false),
};

export function updateCodeInfo(responseCode: string): UpdateCodeInfo {
  // An unknown answer may still have acted: treat as pending and confirm with checkTxn.
  return (
    UPDATE_TXN_RESPONSE_CODES[responseCode] ??
    update(`Unknown response code ${responseCode}`, 'pending', false)
  );
}

/** A refund request's result: accepted refunds stay pending until checkTxn reports them completed. */
export function refundStatusFromUpdate(responseCode: string): RefundStatus | undefined {
  const result = updateCodeInfo(responseCode).result;
  if (result === 'success' || result === 'pending') return 'pending';
  if (result === 'failed') return 'failed';
  return undefined;
}

// ---------------------------------------------------------------- webhooks

function isLateItem(txn: ZaakpayWebhookTxn | ZaakpayLateWebhookTxn): txn is ZaakpayLateWebhookTxn {
  return (
    typeof (txn as ZaakpayLateWebhookTxn).orderid === 'string' &&
    (txn as ZaakpayWebhookTxn).orderId === undefined
  );
}

/** The webhook inbox dedupe key: orderId + pgTransId (txnDate for reconciliation items) + status. */
export function webhookEventId(orderId: string, transactionKey: string, statusKey: string): string {
  return `zaakpay:${orderId}:${transactionKey}:${statusKey}`;
}

function eventFromTxn(txn: ZaakpayWebhookTxn): GatewayEvent | undefined {
  const orderId = typeof txn.orderId === 'string' ? txn.orderId : undefined;
  const responseCode = typeof txn.responseCode === 'string' ? txn.responseCode : undefined;
  if (!orderId || !responseCode) return undefined;
  const pgTransId = typeof txn.pgTransId === 'string' ? txn.pgTransId : '';
  const amountMinor = paisaToMinor(txn.amount);
  const info = transactCodeInfo(responseCode);
  const base = {
    gatewayCode: 'zaakpay' as const,
    gatewayEventId: webhookEventId(orderId, pgTransId, responseCode),
    reference: referenceFor(orderId, pgTransId),
    amount: amountMinor === undefined ? undefined : inr(amountMinor),
    trust: 'signature' as const,
  };
  if (info.result === 'success') return { ...base, type: 'payment.captured' };
  if (info.result === 'pending') return { ...base, type: 'payment.pending' };
  return {
    ...base,
    type: 'payment.declined',
    decline: declineFor(responseCode, txn.responseDescription),
  };
}

// Reconciliation items carry no status: the doc describes them as late successes (failed -> success).
function eventFromLateTxn(txn: ZaakpayLateWebhookTxn): GatewayEvent {
  const amountMinor = paisaToMinor(txn.amount);
  return {
    gatewayCode: 'zaakpay',
    gatewayEventId: webhookEventId(txn.orderid, txn.txnDate ?? '', 'late-success'),
    type: 'payment.captured',
    reference: { id: txn.orderid },
    amount: amountMinor === undefined ? undefined : inr(amountMinor),
    trust: 'signature',
  };
}

/** Every transaction in a verified push becomes one event; items we cannot read are skipped. */
export function toGatewayEvents(txnData: ZaakpayWebhookTxnData): GatewayEvent[] {
  const events: GatewayEvent[] = [];
  for (const txn of txnData.txns ?? []) {
    if (!txn || typeof txn !== 'object') continue;
    const event = isLateItem(txn) ? eventFromLateTxn(txn) : eventFromTxn(txn as ZaakpayWebhookTxn);
    if (event) events.push(event);
  }
  return events;
}

// ---------------------------------------------------------------- domain -> wire

/** Paisa as the integer string Zaakpay wants ("10000" = ₹100.00). */
export function toPaisa(amount: Money): string {
  return String(amount.amountMinor);
}

/** Integer paisa from a wire value ("10000" or 10000); anything else is unreadable. */
export function paisaToMinor(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function inr(amountMinor: number): Money {
  return { amountMinor, currency: ZAAKPAY_CURRENCY };
}

export function referenceFor(orderId: string, pgTransId?: string): GatewayReference {
  return pgTransId && pgTransId !== 'NA' ? { id: orderId, extra: { pgTransId } } : { id: orderId };
}

/**
 * orderId: ≤20 [A-Za-z0-9] satisfies both the redirect (≤40) and custom-checkout (≤20) rules.
 * A longer attempt id (a UUID) is hashed: deterministic, so a retried initiate reuses it.
 */
export function toOrderId(attemptId: string): string {
  const plain = attemptId.replace(/[^A-Za-z0-9]/g, '');
  if (plain.length > 0 && plain.length <= 20) return plain;
  return `ZP${createHash('sha256').update(attemptId, 'utf8').digest('hex').slice(0, 18)}`;
}

/** merchantRefId: our refund id, alphanumeric only (Zaakpay's rules for it are undocumented). */
export function toMerchantRefId(refundId: string): string {
  return refundId.replace(/[^A-Za-z0-9]/g, '').slice(0, 40);
}

/** updateReason: 5–30 characters, letters, digits and spaces only. */
export function toUpdateReason(reason: string | undefined, fallback: string): string {
  const cleaned = (reason ?? '')
    .replace(/[^A-Za-z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 30)
    .trim();
  return cleaned.length >= 5 ? cleaned : fallback;
}

function nameParts(name: string | undefined): { first?: string; last?: string } {
  const words = (name ?? '')
    .split(/\s+/)
    .map((word) => word.replace(/[^A-Za-z0-9]/g, ''))
    .filter(Boolean);
  const first = words[0]?.slice(0, 30);
  const last = words.slice(1).join('').slice(0, 30) || undefined;
  // Zaakpay requires the last name to differ from the first.
  return { first, last: last && last !== first ? last : undefined };
}

const DEBIT_OR_CREDIT: Readonly<Partial<Record<InitiateRequest['paymentMethod'], string>>> = {
  netbanking: 'netbanking',
  wallet: 'wallet',
  upi: 'upi',
};

/** The V8 checkout fields (only names from the checksum list; empty values omitted). */
export function toCheckoutFields(
  request: InitiateRequest,
  merchantIdentifier: string,
): ZaakpayCheckoutFields {
  const { first, last } = nameParts(request.customer.name);
  const phone = request.customer.phone?.replace(/\D/g, '');
  const fields: ZaakpayCheckoutFields = {
    amount: toPaisa(request.amount),
    buyerEmail: request.customer.email,
    buyerFirstName: first,
    buyerLastName: last,
    buyerPhoneNumber: phone || undefined,
    currency: ZAAKPAY_CURRENCY,
    debitorcredit: DEBIT_OR_CREDIT[request.paymentMethod],
    merchantIdentifier,
    merchantIpAddress: request.customer.ip,
    mode: '0',
    orderId: toOrderId(request.attemptId),
    productDescription: request.description.replace(/[\r\n]+/g, ' ').slice(0, 100) || undefined,
    returnUrl: request.returnUrl,
  };
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== ''),
  ) as ZaakpayCheckoutFields;
}
