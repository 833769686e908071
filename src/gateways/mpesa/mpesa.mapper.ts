import { fromDecimalString, type Money } from '../../common/money/money';
import { GatewayError, type GatewayErrorKind } from '../gateway.error';
import { kindForHttpStatus } from '../gateway-http.client';
import type {
  ChargeOutcome,
  Decline,
  GatewayEvent,
  GatewayEventType,
  GatewayReference,
} from '../payment-gateway';
import type {
  MpesaCallbackItem,
  MpesaErrorEnvelope,
  MpesaResult,
  MpesaResultParameter,
  MpesaStkCallback,
  MpesaStkQueryResponse,
} from './mpesa.types';

// Pure translation between our domain and Daraja's wire format. No I/O, no clock except as input.

export const MPESA_CURRENCY = 'KES';
export const MPESA_MIN_KES = 1;
export const MPESA_MAX_KES = 250_000;

const invalid = (message: string): GatewayError =>
  new GatewayError('invalid_request', message, { gatewayCode: 'mpesa' });

/** Our minor units of KES -> whole shillings, refusing what M-Pesa cannot carry. */
export function toWholeShillings(amount: Money, what = 'amount'): number {
  if (amount.currency !== MPESA_CURRENCY) {
    throw invalid(`M-Pesa takes KES only, got ${amount.currency}`);
  }
  if (!Number.isSafeInteger(amount.amountMinor)) {
    throw invalid(`${what} must be an integer number of minor units`);
  }
  if (amount.amountMinor % 100 !== 0) {
    throw invalid(
      `M-Pesa takes whole shillings only; ${what} ${amount.amountMinor} cents has a fraction`,
    );
  }
  const shillings = amount.amountMinor / 100;
  if (shillings < MPESA_MIN_KES || shillings > MPESA_MAX_KES) {
    throw invalid(
      `M-Pesa ${what} must be between KES ${MPESA_MIN_KES} and KES ${MPESA_MAX_KES}, got KES ${shillings}`,
    );
  }
  return shillings;
}

/** A decimal KES amount from a callback (`1.00`, `25`) -> minor units. */
export function fromShillings(value: string | number | undefined): Money | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return {
      amountMinor: fromDecimalString(String(value), MPESA_CURRENCY),
      currency: MPESA_CURRENCY,
    };
  } catch {
    return undefined;
  }
}

/** Kenyan MSISDN in the 12-digit form Daraja wants (2547NNNNNNNN / 2541NNNNNNNN). */
export function toMsisdn(phone: string | undefined): string {
  const digits = (phone ?? '').replace(/[\s+\-()]/g, '');
  const msisdn = /^0[17]\d{8}$/.test(digits) ? `254${digits.slice(1)}` : digits;
  if (!/^254[17]\d{8}$/.test(msisdn)) {
    throw invalid('M-Pesa needs a Kenyan phone number (2547NNNNNNNN or 2541NNNNNNNN)');
  }
  return msisdn;
}

/** YYYYMMDDHHmmss in Kenya time (EAT, UTC+3, no daylight saving). */
export function darajaTimestamp(now: Date): string {
  const eat = new Date(now.getTime() + 3 * 3_600_000).toISOString();
  return eat.slice(0, 19).replace(/[-T:]/g, '');
}

/** STK Password = base64(BusinessShortCode + Passkey + Timestamp). */
export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`, 'utf8').toString('base64');
}

// ---------------------------------------------------------------------------------------------
// Result codes

export interface ResultCodeInfo {
  readonly message: string;
  /** True when a new try (now or on another gateway) may succeed. */
  readonly retryable: boolean;
}

/** STK push ResultCodes (callback and query). Anything else non-zero is a non-retryable decline. */
export const STK_RESULT_CODES: Readonly<Record<string, ResultCodeInfo>> = {
  '1': { message: 'Insufficient balance', retryable: true },
  '2': { message: 'Amount below the minimum', retryable: false },
  '3': { message: 'Amount above the maximum', retryable: false },
  '4': { message: "Would exceed the customer's daily transfer limit", retryable: false },
  '8': { message: "Would exceed the customer's maximum balance", retryable: false },
  '17': { message: 'Same amount to the same customer within ~2 minutes', retryable: true },
  '26': { message: 'System busy', retryable: true },
  '1001': {
    message: 'Unable to lock subscriber: another M-Pesa session is in progress',
    retryable: true,
  },
  '1019': { message: 'Transaction expired before the customer completed it', retryable: true },
  '1025': { message: 'Error sending the push request', retryable: true },
  '1032': { message: 'Request cancelled by the customer', retryable: true },
  '1037': { message: 'Phone unreachable or no response to the prompt', retryable: true },
  '2001': { message: 'Wrong PIN entered', retryable: true },
  '2028': { message: 'Request not permitted per product assignment', retryable: false },
  '8006': { message: 'Security credential locked', retryable: false },
  '9999': { message: 'Error sending the push request', retryable: true },
  SFC_IC0003: { message: 'Operator does not exist', retryable: false },
};

/** Reversal and B2C ResultCodes (the result arrives on ResultURL). */
export const RESULT_CODES: Readonly<Record<string, ResultCodeInfo>> = {
  '1': { message: 'Insufficient balance', retryable: true },
  '2': { message: 'Amount below the minimum', retryable: false },
  '3': { message: 'Amount above the maximum', retryable: false },
  '4': { message: "Would exceed the customer's daily limit", retryable: false },
  '8': { message: "Would exceed the customer's maximum balance", retryable: false },
  '11': { message: 'Debit party in an invalid state', retryable: false },
  '21': { message: 'Initiator lacks the required role', retryable: false },
  '2001': {
    message: 'Invalid initiator information (name, password or certificate)',
    retryable: false,
  },
  '2006': { message: 'Declined by an account rule', retryable: false },
  '2028': { message: 'Request not permitted per product assignment', retryable: false },
  '2040': { message: 'Recipient is not a registered M-Pesa customer', retryable: false },
  '8006': { message: 'Security credential locked', retryable: false },
  R000001: { message: 'The transaction has already been reversed', retryable: false },
  R000002: { message: 'The original transaction id is invalid', retryable: false },
  SFC_IC0003: { message: 'Recipient MSISDN is invalid', retryable: false },
};

export function stkDecline(code: string, description?: string): Decline {
  const known = STK_RESULT_CODES[code];
  return {
    gatewayCode: code,
    message: description || known?.message || `M-Pesa ResultCode ${code}`,
    retryable: known?.retryable ?? false,
  };
}

// ---------------------------------------------------------------------------------------------
// Synchronous error envelope

interface EnvelopeRule {
  readonly kind: GatewayErrorKind;
  readonly retryable?: boolean;
}

/** errorCode -> kind. 500.001.1001 has several meanings and is decided by its message. */
export const ERROR_CODE_KINDS: Readonly<Record<string, EnvelopeRule>> = {
  '400.002.02': { kind: 'rejected' },
  '400.002.05': { kind: 'rejected' },
  '400.003.01': { kind: 'misconfigured' },
  '400.003.02': { kind: 'rejected' },
  '400.008.01': { kind: 'misconfigured' },
  '400.008.02': { kind: 'misconfigured' },
  '401.003.01': { kind: 'misconfigured' },
  '404.001.01': { kind: 'misconfigured' },
  '404.001.03': { kind: 'misconfigured' },
  '404.001.04': { kind: 'misconfigured' },
  '404.003.01': { kind: 'misconfigured' },
  '405.001': { kind: 'misconfigured' },
  '500.002.1001': { kind: 'rejected' },
  '500.003.02': { kind: 'unavailable' },
  '500.003.03': { kind: 'unavailable' },
  '500.003.1001': { kind: 'unavailable' },
};

/** Codes that mean our token is no longer good: refresh once and repeat the call. */
export const INVALID_TOKEN_CODES: ReadonlySet<string> = new Set([
  '404.001.03',
  '400.003.01',
  '401.003.01',
]);

export const DUPLICATE_ORIGINATOR_CODE = '500.002.1001';

/** The STK query's "not finished yet" answer (an error envelope, not a result). */
export function isStillProcessing(envelope: MpesaErrorEnvelope | undefined): boolean {
  return (
    envelope?.errorCode === '500.001.1001' && /being processed/i.test(envelope.errorMessage ?? '')
  );
}

function kindFor500001(message: string): EnvelopeRule {
  if (/credential|merchant does not exist/i.test(message)) return { kind: 'misconfigured' };
  if (/lock subscriber/i.test(message)) return { kind: 'rejected', retryable: true };
  return { kind: 'unavailable' };
}

/** Turns a non-success HTTP answer into the error the caller sees. */
export function errorFromEnvelope(
  httpStatus: number,
  envelope: MpesaErrorEnvelope | undefined,
  text = '',
): GatewayError {
  const code = envelope?.errorCode;
  const message = envelope?.errorMessage ?? (text.slice(0, 200) || `HTTP ${httpStatus}`);
  let rule: EnvelopeRule | undefined =
    code === '500.001.1001' ? kindFor500001(message) : code ? ERROR_CODE_KINDS[code] : undefined;
  if (!rule && /no apiproduct match/i.test(message)) rule = { kind: 'misconfigured' };
  const kind = rule?.kind ?? kindForHttpStatus(httpStatus);
  return new GatewayError(kind, `M-Pesa ${code ?? `HTTP ${httpStatus}`}: ${message}`, {
    gatewayCode: 'mpesa',
    gatewayErrorCode: code,
    httpStatus,
    retryable: rule?.retryable,
  });
}

// ---------------------------------------------------------------------------------------------
// STK outcomes and events

const codeOf = (value: string | number | undefined): string => String(value ?? '').trim();

/** STK query answer -> outcome. The query carries no amount: it comes from the stored reference. */
export function fromStkQuery(
  response: MpesaStkQueryResponse,
  reference: GatewayReference,
  amount: Money,
): ChargeOutcome {
  const code = codeOf(response.ResultCode);
  if (code === '0') return { status: 'captured', reference, capturedAmount: amount };
  if (code === '') return { status: 'pending', reference };
  return { status: 'declined', reference, decline: stkDecline(code, response.ResultDesc) };
}

function item(
  items: readonly MpesaCallbackItem[] | undefined,
  name: string,
): string | number | undefined {
  return items?.find((entry) => entry.Name === name)?.Value;
}

/** YYYYMMDDHHmmss (EAT) -> Date. */
export function fromDarajaTimestamp(value: string | number | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(codeOf(value));
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h - 3, mi, s));
}

export function isStkCallback(value: unknown): value is MpesaStkCallback {
  const callback = value as MpesaStkCallback | undefined;
  return (
    typeof callback === 'object' &&
    callback !== null &&
    typeof callback.CheckoutRequestID === 'string' &&
    callback.CheckoutRequestID.length > 0 &&
    (typeof callback.ResultCode === 'number' || typeof callback.ResultCode === 'string')
  );
}

/** STK callback -> payment.captured / payment.declined. Trust stays `unverified`: re-query before crediting. */
export function fromStkCallback(callback: MpesaStkCallback, attemptId?: string): GatewayEvent {
  const code = codeOf(callback.ResultCode);
  const items = callback.CallbackMetadata?.Item;
  const receipt = item(items, 'MpesaReceiptNumber');
  const phone = item(items, 'PhoneNumber');
  const extra: Record<string, string> = { merchantRequestId: callback.MerchantRequestID };
  if (receipt !== undefined) extra.receipt = String(receipt);
  if (phone !== undefined) extra.phone = String(phone);
  const base = {
    gatewayCode: 'mpesa' as const,
    // One id per CheckoutRequestID and result: a repeated callback dedupes in the inbox.
    gatewayEventId: `stk:${callback.CheckoutRequestID}:${code}`,
    reference: { id: callback.CheckoutRequestID, extra },
    attemptId,
    trust: 'unverified' as const,
  };
  if (code === '0') {
    return {
      ...base,
      type: 'payment.captured',
      amount: fromShillings(item(items, 'Amount')),
      occurredAt: fromDarajaTimestamp(item(items, 'TransactionDate')),
    };
  }
  return { ...base, type: 'payment.declined', decline: stkDecline(code, callback.ResultDesc) };
}

// ---------------------------------------------------------------------------------------------
// ResultURL callbacks (Reversal, B2C, Transaction Status)

export function isResult(value: unknown): value is MpesaResult {
  const result = value as MpesaResult | undefined;
  return (
    typeof result === 'object' &&
    result !== null &&
    (typeof result.ResultCode === 'number' || typeof result.ResultCode === 'string') &&
    typeof result.ConversationID === 'string'
  );
}

export function resultParameters(result: MpesaResult): Record<string, string> {
  const raw = result.ResultParameters?.ResultParameter;
  const list: readonly MpesaResultParameter[] = Array.isArray(raw)
    ? raw
    : raw
      ? [raw as MpesaResultParameter]
      : [];
  return Object.fromEntries(
    list.filter((p) => p.Value !== undefined).map((p) => [p.Key, String(p.Value)]),
  );
}

/** Transaction Status `TransactionStatus` values we treat as final. Others mean "not final yet". */
const FINAL_TRANSACTION_STATUS: Readonly<Record<string, 'succeeded' | 'failed'>> = {
  completed: 'succeeded',
  failed: 'failed',
  declined: 'failed',
  cancelled: 'failed',
  expired: 'failed',
};

export interface ResultContext {
  /** What the ResultURL was for: from the authenticated callback URL. */
  readonly kind: 'refund' | 'payout';
  /** Our refundId / payoutId. */
  readonly id: string;
  /** The payment's CheckoutRequestID (refunds). */
  readonly paymentId?: string;
  /** The authenticated URL was the one we gave a Transaction Status query. */
  readonly statusQuery?: boolean;
}

/**
 * A Result (Reversal, B2C or Transaction Status) -> refund.* / payout.* events. Only an explicit
 * success or failure yields an event; a status query that cannot say yields none.
 */
export function fromResult(result: MpesaResult, context: ResultContext): GatewayEvent[] {
  const code = codeOf(result.ResultCode);
  const parameters = resultParameters(result);
  const isStatusQuery = 'TransactionStatus' in parameters;
  let outcome: 'succeeded' | 'failed' | undefined;
  if (isStatusQuery) {
    outcome =
      code === '0'
        ? FINAL_TRANSACTION_STATUS[parameters.TransactionStatus.toLowerCase()]
        : undefined;
  } else {
    outcome = code === '0' ? 'succeeded' : 'failed';
  }
  if (!outcome) return [];
  const amount = fromShillings(parameters.Amount ?? parameters.TransactionAmount);
  const extra: Record<string, string> = {
    conversationId: isStatusQuery ? (parameters.ConversationID ?? '') : result.ConversationID,
    originatorConversationId: isStatusQuery
      ? (parameters.OriginatorConversationID ?? '')
      : result.OriginatorConversationID,
  };
  const transactionId = isStatusQuery
    ? parameters.ReceiptNo
    : (result.TransactionID ?? parameters.TransactionReceipt);
  if (transactionId) extra.transactionId = transactionId;
  const ownReference: GatewayReference = { id: context.id, extra };
  const type: GatewayEventType = `${context.kind}.${outcome}`;
  const known = RESULT_CODES[code];
  const failureMessage = result.ResultDesc || known?.message || `M-Pesa ResultCode ${code}`;
  return [
    {
      gatewayCode: 'mpesa',
      // The ConversationID is unique per request; a repeated callback keeps the same id.
      gatewayEventId: `${isStatusQuery ? 'status' : 'result'}:${result.ConversationID}:${code}`,
      type,
      reference: { id: context.kind === 'refund' ? (context.paymentId ?? context.id) : context.id },
      amount,
      refundReference: context.kind === 'refund' ? ownReference : undefined,
      payoutReference: context.kind === 'payout' ? ownReference : undefined,
      decline:
        outcome === 'failed'
          ? {
              gatewayCode: isStatusQuery ? parameters.TransactionStatus : code,
              message: failureMessage,
              retryable: known?.retryable ?? false,
            }
          : undefined,
      trust: 'unverified',
      // Trusted as our query's answer only when it came to the URL we gave that query: a
      // status-shaped body posted to a result URL is news to confirm like any other.
      ...(isStatusQuery && context.statusQuery ? { answersStatusQuery: true } : {}),
    },
  ];
}
