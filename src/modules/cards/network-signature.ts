import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a card network signs each call with: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const NETWORK_SIGNATURE_HEADER = 'Payrail-Network-Signature';

/** Hex HMAC-SHA256 under the network secret of `<timestamp>.<raw body>`. */
export function computeNetworkSignature(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header value for a body sent at `timestamp` (what the network, or a test, sends). */
export function networkSignatureHeader(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
): string {
  return `t=${timestamp},v1=${computeNetworkSignature(secret, timestamp, rawBody)}`;
}

export type NetworkSignatureCheck =
  | { readonly valid: true; readonly timestamp: number }
  | { readonly valid: false; readonly reason: 'missing' | 'malformed' | 'mismatch' | 'expired' };

/**
 * Checks a call from the network: recomputes over the raw bytes, compares in constant time, and
 * refuses timestamps more than `toleranceSeconds` away from now (replays of old captures).
 */
export function verifyNetworkSignature(
  header: string | undefined,
  rawBody: string | Buffer,
  secret: string,
  toleranceSeconds: number,
  nowSeconds = Math.floor(Date.now() / 1000),
): NetworkSignatureCheck {
  if (!header) return { valid: false, reason: 'missing' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) {
    return { valid: false, reason: 'malformed' };
  }
  const expected = Buffer.from(computeNetworkSignature(secret, timestamp, rawBody), 'hex');
  // Every candidate is compared, so the time taken does not say which one matched.
  let matched = false;
  for (const candidate of candidates) {
    if (timingSafeEqual(Buffer.from(candidate.toLowerCase(), 'hex'), expected)) matched = true;
  }
  if (!matched) return { valid: false, reason: 'mismatch' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return { valid: false, reason: 'expired' };
  }
  return { valid: true, timestamp };
}
