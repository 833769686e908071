import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header every delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'Payrail-Signature';
export const EVENT_ID_HEADER = 'Payrail-Event-Id';
export const EVENT_TYPE_HEADER = 'Payrail-Event-Type';
export const DELIVERY_ATTEMPT_HEADER = 'Payrail-Delivery-Attempt';

/** Receivers should refuse signatures older than this (replayed captures). */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'pwhsec_';

/** A fresh endpoint signing secret: a prefix that makes it recognisable, then 32 random bytes. */
export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Hex HMAC-SHA256 under the secret (its UTF-8 bytes) of `<timestamp>.<raw body>`. */
export function computeSignature(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The `Payrail-Signature` value for a body sent at `timestamp` (unix seconds). */
export function signatureHeader(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;
}

export type SignatureCheck =
  | { readonly valid: true; readonly timestamp: number }
  | { readonly valid: false; readonly reason: 'malformed' | 'mismatch' | 'expired' };

/**
 * What a receiver does: recompute over the raw bytes, compare in constant time, refuse stale
 * timestamps. Exported for our tests and as a reference for merchants.
 */
export function verifySignatureHeader(
  header: string | undefined,
  rawBody: string | Buffer,
  secret: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): SignatureCheck {
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of (header ?? '').split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0)
    return { valid: false, reason: 'malformed' };
  const expected = Buffer.from(computeSignature(secret, timestamp, rawBody), 'hex');
  const matches = candidates.some((candidate) =>
    timingSafeEqual(Buffer.from(candidate, 'hex'), expected),
  );
  if (!matches) return { valid: false, reason: 'mismatch' };
  if (Math.abs(now - timestamp) > tolerance) return { valid: false, reason: 'expired' };
  return { valid: true, timestamp };
}
