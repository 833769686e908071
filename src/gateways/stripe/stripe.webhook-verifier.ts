import { createHmac, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../gateway.error';
import type { ParsedWebhook, RawWebhook } from '../payment-gateway';
import { fromStripeEvent, isStripeEvent, STRIPE_WEBHOOK_ACKNOWLEDGEMENT } from './stripe.mapper';
import type { StripeEvent } from './stripe.types';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
/** stripe-node `DEFAULT_TOLERANCE` in constructEvent. */
export const STRIPE_DEFAULT_TOLERANCE_SECONDS = 300;

/** lowercase hex HMAC-SHA256 keyed by the whole `whsec_...` string over `${t}.${rawBody}`. */
export function computeStripeSignature(
  secret: string,
  timestamp: number,
  payload: string | Buffer,
): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`, 'utf8')
    .update(typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload)
    .digest('hex');
}

/** The `Stripe-Signature` header value Stripe would send for this body at this time. */
export function stripeSignatureHeader(
  secret: string,
  timestamp: number,
  payload: string | Buffer,
): string {
  return `t=${timestamp},v1=${computeStripeSignature(secret, timestamp, payload)}`;
}

export interface ParsedSignatureHeader {
  readonly timestamp: number;
  readonly signatures: readonly string[];
}

/** `t=...,v1=...[,v1=...][,v0=...]`; v0 (legacy test mode) is ignored. */
export function parseStripeSignatureHeader(header: string): ParsedSignatureHeader | undefined {
  let timestamp = Number.NaN;
  const signatures: string[] = [];
  for (const item of header.split(',')) {
    const separator = item.indexOf('=');
    if (separator < 0) continue;
    const key = item.slice(0, separator).trim();
    const value = item.slice(separator + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === 'v1') signatures.push(value);
  }
  if (!Number.isSafeInteger(timestamp) || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

function invalid(message: string): GatewayError {
  return new GatewayError('invalid_webhook', `Stripe webhook rejected: ${message}`, {
    gatewayCode: 'stripe',
  });
}

function headerValue(headers: RawWebhook['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function safeEqualHex(expected: string, candidate: string): boolean {
  const left = Buffer.from(expected, 'utf8');
  const right = Buffer.from(candidate, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface StripeWebhookVerifierOptions {
  readonly secret: string;
  readonly toleranceSeconds?: number;
  /** Milliseconds since the epoch; injectable for test vectors. */
  readonly now?: () => number;
}

/** Verifies `Stripe-Signature` over the raw bytes, then hands the event to the mapper. */
export class StripeWebhookVerifier {
  private readonly toleranceSeconds: number;
  private readonly now: () => number;

  constructor(private readonly options: StripeWebhookVerifierOptions) {
    this.toleranceSeconds = options.toleranceSeconds ?? STRIPE_DEFAULT_TOLERANCE_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /** Throws invalid_webhook unless the header carries a matching v1 within the tolerance. */
  verifySignature(header: string | undefined, rawBody: Buffer): void {
    if (!header) throw invalid('no Stripe-Signature header');
    const parsed = parseStripeSignatureHeader(header);
    if (!parsed) throw invalid('Stripe-Signature header has no t= or no v1= entry');
    const expected = computeStripeSignature(this.options.secret, parsed.timestamp, rawBody);
    // Any v1 may match: Stripe signs with every active secret while one is being rolled.
    if (!parsed.signatures.some((candidate) => safeEqualHex(expected, candidate))) {
      throw invalid(
        'no v1 signature matches the raw body (wrong STRIPE_WEBHOOK_SECRET or altered body)',
      );
    }
    const ageSeconds = Math.floor(this.now() / 1000) - parsed.timestamp;
    if (this.toleranceSeconds > 0 && ageSeconds > this.toleranceSeconds) {
      throw invalid(
        `timestamp is ${ageSeconds}s old, outside the ${this.toleranceSeconds}s tolerance`,
      );
    }
  }

  verify(webhook: RawWebhook): StripeEvent {
    this.verifySignature(headerValue(webhook.headers, STRIPE_SIGNATURE_HEADER), webhook.rawBody);
    let body: unknown;
    try {
      body = JSON.parse(webhook.rawBody.toString('utf8'));
    } catch {
      throw invalid('body is not JSON');
    }
    if (!isStripeEvent(body)) throw invalid('body is not a Stripe event object');
    return body;
  }

  parse(webhook: RawWebhook): ParsedWebhook {
    const verified = this.verify(webhook);
    let event: ReturnType<typeof fromStripeEvent>;
    try {
      event = fromStripeEvent(verified);
    } catch (error) {
      // Signed but malformed: still nothing we may store.
      throw invalid(`event ${verified.id} could not be read (${String(error)})`);
    }
    return { events: event ? [event] : [], acknowledgement: STRIPE_WEBHOOK_ACKNOWLEDGEMENT };
  }
}
