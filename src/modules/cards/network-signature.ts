import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a card network signs each call with: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const NETWORK_SIGNATURE_HEADER = 'Payrail-Network-Signature';

/**
 * Hex HMAC-SHA256 under the network secret of `<timestamp>.<request target>\n<raw body>`. The
 * request target (the path as sent, e.g. `/card-network/authorizations/auth_1/capture`) is
 * signed too: a capture or reversal body (`{"amountMinor":100}`, `{}`) does not name the
 * authorization, so a signature over the body alone could be replayed against another one.
 * A request target cannot contain a line feed, so the signed string is unambiguous.
 */
export function computeNetworkSignature(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
  target = '',
): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.${target}\n`)
    .update(rawBody)
    .digest('hex');
}

/**
 * The header value for a call sent at `timestamp` (what the network, or a test, sends). `target`
 * is the request's path as sent; Payrail always checks it, so leaving it out gets a 401.
 */
export function networkSignatureHeader(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
  target = '',
): string {
  return `t=${timestamp},v1=${computeNetworkSignature(secret, timestamp, rawBody, target)}`;
}

export type NetworkSignatureCheck =
  | { readonly valid: true; readonly timestamp: number }
  | { readonly valid: false; readonly reason: 'missing' | 'malformed' | 'mismatch' | 'expired' };

/**
 * Checks a call from the network: recomputes over the request target and the raw bytes, compares
 * in constant time, and refuses timestamps more than `toleranceSeconds` away from now (replays of
 * old captures). Within that window the same call may be repeated (the endpoints are idempotent),
 * but never against another path.
 */
export function verifyNetworkSignature(
  header: string | undefined,
  target: string,
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
  const expected = Buffer.from(computeNetworkSignature(secret, timestamp, rawBody, target), 'hex');
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
