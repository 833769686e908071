import { createHmac, timingSafeEqual } from 'node:crypto';
import { RESPONSE_CHECKSUM_FIELDS } from './zaakpay.types';

/** HMAC-SHA256(secret, message) as lowercase hex: every Zaakpay checksum. */
export function zaakpayHmac(secretKey: string, message: string): string {
  return createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(message, 'utf8').digest('hex');
}

/**
 * The V8 checkout request string: every posted field but `checksum`, empty values dropped,
 * sorted by code unit (not locale), each `name=value&` with raw (decoded) values and a trailing `&`.
 */
export function checkoutChecksumString(
  fields: Readonly<Record<string, string | undefined>>,
): string {
  return Object.keys(fields)
    .filter((name) => name !== 'checksum' && fields[name] !== undefined && fields[name] !== '')
    .sort()
    .map((name) => `${name}=${fields[name]}&`)
    .join('');
}

export function checkoutChecksum(
  secretKey: string,
  fields: Readonly<Record<string, string | undefined>>,
): string {
  return zaakpayHmac(secretKey, checkoutChecksumString(fields));
}

/**
 * The returnUrl response string: fixed order, only fields present, empty and `NA` values kept,
 * trailing `&` kept. Values are never trimmed (the success description ends with a space).
 */
export function responseChecksumString(fields: Readonly<Record<string, unknown>>): string {
  return RESPONSE_CHECKSUM_FIELDS.filter(
    (name) => fields[name] !== undefined && fields[name] !== null,
  )
    .map((name) => `${name}=${String(fields[name])}&`)
    .join('');
}

export function responseChecksum(
  secretKey: string,
  fields: Readonly<Record<string, unknown>>,
): string {
  return zaakpayHmac(secretKey, responseChecksumString(fields));
}

/** checkTxn / updateTxn / transactU: the exact `data` JSON string, byte for byte. */
export function dataChecksum(secretKey: string, data: string): string {
  return zaakpayHmac(secretKey, data);
}

/** Webhook: the raw `txnData` string as received; re-serialised JSON hashes differently. */
export function webhookChecksum(secretKey: string, rawTxnData: string): string {
  return zaakpayHmac(secretKey, rawTxnData);
}

/** Settlement report: `merchantIdentifier,utr_date` (utr_date as dd-MM-yyyy). */
export function settlementChecksum(
  secretKey: string,
  merchantIdentifier: string,
  utrDate: string,
): string {
  return zaakpayHmac(secretKey, `${merchantIdentifier},${utrDate}`);
}

/** Constant-time comparison of two hex checksums (case-insensitive on the received one). */
export function checksumsEqual(expected: string, received: string | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
