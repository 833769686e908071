import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../gateway.error';
import type { RawWebhook } from '../payment-gateway';
import {
  computeStripeSignature,
  parseStripeSignatureHeader,
  stripeSignatureHeader,
  StripeWebhookVerifier,
} from './stripe.webhook-verifier';

// Worked example from stripe.md section 6.1 (recomputed in Python and Node).
const DOC_SECRET = 'whsec_test_secret';
const DOC_TIMESTAMP = 1700000000;
const DOC_BODY = '{"id":"evt_test_webhook","object":"event","type":"payment_intent.succeeded"}';
const DOC_V1 = '130dc37d5a27b1b232a61e4f2ff00ed245f498112c11e8b747aff3d0fb754056';

const SECRET = 'whsec_payrail_unit_secret';
const NOW_MS = 1_700_000_200_000;
const rawEvent = readFileSync(
  join(__dirname, '__fixtures__', 'event.payment-intent.succeeded.json'),
);

function webhook(header: string | string[] | undefined, body: Buffer = rawEvent): RawWebhook {
  return {
    headers: header === undefined ? {} : { 'stripe-signature': header },
    rawBody: body,
    query: {},
  };
}

function expectInvalid(action: () => unknown, message: RegExp): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).kind).toBe('invalid_webhook');
    expect((error as GatewayError).message).toMatch(message);
    return;
  }
  throw new Error('expected invalid_webhook');
}

describe('Stripe webhook signature', () => {
  const verifier = new StripeWebhookVerifier({ secret: SECRET, now: () => NOW_MS });
  const timestamp = NOW_MS / 1000 - 10;

  it('reproduces the documented worked example', () => {
    expect(computeStripeSignature(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)).toBe(DOC_V1);
    expect(stripeSignatureHeader(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)).toBe(
      `t=${DOC_TIMESTAMP},v1=${DOC_V1}`,
    );
    const docVerifier = new StripeWebhookVerifier({
      secret: DOC_SECRET,
      now: () => DOC_TIMESTAMP * 1000,
    });
    expect(() =>
      docVerifier.verifySignature(`t=${DOC_TIMESTAMP},v1=${DOC_V1}`, Buffer.from(DOC_BODY)),
    ).not.toThrow();
  });

  it('rejects the documented example once it is older than the 300 s tolerance', () => {
    const late = new StripeWebhookVerifier({
      secret: DOC_SECRET,
      now: () => (DOC_TIMESTAMP + 301) * 1000,
    });
    expectInvalid(
      () => late.verifySignature(`t=${DOC_TIMESTAMP},v1=${DOC_V1}`, Buffer.from(DOC_BODY)),
      /tolerance/,
    );
    const edge = new StripeWebhookVerifier({
      secret: DOC_SECRET,
      now: () => (DOC_TIMESTAMP + 300) * 1000,
    });
    expect(() =>
      edge.verifySignature(`t=${DOC_TIMESTAMP},v1=${DOC_V1}`, Buffer.from(DOC_BODY)),
    ).not.toThrow();
  });

  it('parses t, every v1 and ignores v0 and junk', () => {
    expect(parseStripeSignatureHeader('t=12,v1=aa,v0=bb,v1=cc,zz')).toEqual({
      timestamp: 12,
      signatures: ['aa', 'cc'],
    });
    expect(parseStripeSignatureHeader('v1=aa')).toBeUndefined();
    expect(parseStripeSignatureHeader('t=12,v0=aa')).toBeUndefined();
  });

  it('verifies and maps a signed event', () => {
    const parsed = verifier.parse(webhook(stripeSignatureHeader(SECRET, timestamp, rawEvent)));
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({ type: 'payment.captured', trust: 'signature' });
    expect(parsed.acknowledgement).toEqual({
      status: 200,
      contentType: 'application/json',
      body: '{"received":true}',
    });
  });

  it('accepts any matching v1 while a secret is being rolled', () => {
    const good = computeStripeSignature(SECRET, timestamp, rawEvent);
    const old = computeStripeSignature('whsec_previous_secret', timestamp, rawEvent);
    expect(() => verifier.verify(webhook(`t=${timestamp},v1=${old},v1=${good}`))).not.toThrow();
    expect(() => verifier.verify(webhook([`t=${timestamp},v1=${good}`]))).not.toThrow();
  });

  it('accepts a timestamp in the future, as stripe-node does', () => {
    expect(() =>
      verifier.verify(webhook(stripeSignatureHeader(SECRET, timestamp + 3_600, rawEvent))),
    ).not.toThrow();
  });

  it('rejects missing, malformed, wrong-secret, tampered and expired signatures', () => {
    expectInvalid(() => verifier.verify(webhook(undefined)), /no Stripe-Signature/);
    expectInvalid(() => verifier.verify(webhook('garbage')), /no t= or no v1=/);
    expectInvalid(
      () => verifier.verify(webhook(`t=${timestamp},v0=${'0'.repeat(64)}`)),
      /no t= or no v1=/,
    );
    expectInvalid(
      () => verifier.verify(webhook(stripeSignatureHeader('whsec_other', timestamp, rawEvent))),
      /no v1 signature matches/,
    );
    const header = stripeSignatureHeader(SECRET, timestamp, rawEvent);
    const tampered = Buffer.from(
      rawEvent.toString('utf8').replace('"amount": 2000', '"amount": 2001'),
    );
    expectInvalid(() => verifier.verify(webhook(header, tampered)), /no v1 signature matches/);
    expectInvalid(
      () => verifier.verify(webhook(stripeSignatureHeader(SECRET, NOW_MS / 1000 - 301, rawEvent))),
      /outside the 300s tolerance/,
    );
  });

  it('rejects a signed body that is not a Stripe event', () => {
    const body = Buffer.from(DOC_BODY);
    expectInvalid(
      () => verifier.verify(webhook(stripeSignatureHeader(SECRET, timestamp, body), body)),
      /not a Stripe event/,
    );
    const notJson = Buffer.from('not json');
    expectInvalid(
      () => verifier.verify(webhook(stripeSignatureHeader(SECRET, timestamp, notJson), notJson)),
      /not JSON/,
    );
  });
});
