import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../gateway.error';
import type { RawWebhook } from '../payment-gateway';
import {
  callbackToken,
  MpesaWebhookVerifier,
  withCallbackToken,
  type CallbackSubject,
} from './mpesa.webhook-verifier';

const secret = 'callback-secret';
const fixture = (name: string): Buffer => readFileSync(join(__dirname, '__fixtures__', name));

function webhookFor(subject: CallbackSubject, body: Buffer): RawWebhook {
  const url = new URL(
    withCallbackToken('https://payrail.example/webhooks/mpesa?tenant=a', secret, subject),
  );
  return {
    headers: { 'content-type': 'application/json' },
    rawBody: body,
    query: Object.fromEntries(url.searchParams),
  };
}

function expectInvalid(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).kind).toBe('invalid_webhook');
    return;
  }
  throw new Error('expected invalid_webhook');
}

describe('MpesaWebhookVerifier', () => {
  const verifier = new MpesaWebhookVerifier(secret);

  it('keeps the caller query and appends kind, id and an HMAC token', () => {
    const url = new URL(
      withCallbackToken('https://payrail.example/cb?tenant=a', secret, {
        kind: 'payment',
        id: 'att_1',
      }),
    );
    expect(url.searchParams.get('tenant')).toBe('a');
    expect(url.searchParams.get('kind')).toBe('payment');
    expect(url.searchParams.get('id')).toBe('att_1');
    expect(url.searchParams.get('token')).toBe(
      callbackToken(secret, { kind: 'payment', id: 'att_1' }),
    );
    expect(callbackToken(secret, { kind: 'payment', id: 'att_1' })).not.toBe(
      callbackToken(secret, { kind: 'payment', id: 'att_2' }),
    );
  });

  it('parses an STK callback with a valid token into an unverified event and acknowledges M-Pesa style', () => {
    const parsed = verifier.parse(
      webhookFor({ kind: 'payment', id: 'att_1' }, fixture('stk-callback-success.json')),
    );
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({
      type: 'payment.captured',
      attemptId: 'att_1',
      trust: 'unverified',
    });
    expect(parsed.acknowledgement).toEqual({
      status: 200,
      contentType: 'application/json',
      body: '{"ResultCode":0,"ResultDesc":"Accepted"}',
    });
  });

  it('gives duplicated callbacks identical event ids', () => {
    const webhook = webhookFor(
      { kind: 'payment', id: 'att_1' },
      fixture('stk-callback-cancelled.json'),
    );
    const first = verifier.parse(webhook).events[0].gatewayEventId;
    expect(
      verifier.parse({ ...webhook, rawBody: Buffer.from(webhook.rawBody) }).events[0]
        .gatewayEventId,
    ).toBe(first);
  });

  it('parses refund results about the payment named in the URL', () => {
    const parsed = verifier.parse(
      webhookFor(
        { kind: 'refund', id: 'rf_1', ref: 'ws_CO_9' },
        fixture('reversal-result-success.json'),
      ),
    );
    expect(parsed.events[0]).toMatchObject({
      type: 'refund.succeeded',
      reference: { id: 'ws_CO_9' },
      refundReference: { id: 'rf_1' },
    });
  });

  it('rejects a missing token, a wrong token, and a token for another subject', () => {
    const webhook = webhookFor(
      { kind: 'payment', id: 'att_1' },
      fixture('stk-callback-success.json'),
    );
    expectInvalid(() =>
      verifier.parse({ ...webhook, query: { ...webhook.query, token: undefined } }),
    );
    expectInvalid(() => verifier.parse({ ...webhook, query: { ...webhook.query, token: 'AAAA' } }));
    expectInvalid(() => verifier.parse({ ...webhook, query: { ...webhook.query, id: 'att_2' } }));
    expectInvalid(() =>
      verifier.parse({ ...webhook, query: { ...webhook.query, kind: 'refund' } }),
    );
    expectInvalid(() => verifier.parse({ ...webhook, query: {} }));
    expectInvalid(() => new MpesaWebhookVerifier('another-secret').parse(webhook));
  });

  it('rejects a refund URL whose payment reference was changed', () => {
    const webhook = webhookFor(
      { kind: 'refund', id: 'rf_1', ref: 'ws_CO_9' },
      fixture('reversal-result-success.json'),
    );
    expectInvalid(() =>
      verifier.parse({ ...webhook, query: { ...webhook.query, ref: 'ws_CO_8' } }),
    );
  });

  it('rejects malformed bodies and bodies of the wrong kind', () => {
    const payment = { kind: 'payment', id: 'att_1' } as const;
    expectInvalid(() => verifier.parse(webhookFor(payment, Buffer.from('not json'))));
    expectInvalid(() => verifier.parse(webhookFor(payment, Buffer.from('{"Body":{}}'))));
    expectInvalid(() => verifier.parse(webhookFor(payment, fixture('b2c-result-success.json'))));
    expectInvalid(() =>
      verifier.parse(
        webhookFor({ kind: 'payout', id: 'po_1' }, fixture('stk-callback-success.json')),
      ),
    );
  });

  it('trusts a Transaction Status answer only on the URL given to the status query', () => {
    const body = fixture('transaction-status-result.json');
    const onStatusUrl = verifier.parse(
      webhookFor({ kind: 'payout', id: 'po_1', statusQuery: true }, body),
    ).events[0];
    expect(onStatusUrl?.answersStatusQuery).toBe(true);
    // The same body on the payout's result URL (its token known to whoever saw that URL) is news
    // the wallets module must still confirm.
    const onResultUrl = verifier.parse(webhookFor({ kind: 'payout', id: 'po_1' }, body)).events[0];
    expect(onResultUrl?.answersStatusQuery).toBeUndefined();
    // The purpose is covered by the token: adding it to a result URL breaks the token.
    const forged = webhookFor({ kind: 'payout', id: 'po_1' }, body);
    expectInvalid(() =>
      verifier.parse({ ...forged, query: { ...forged.query, purpose: 'status' } }),
    );
    // Tokens of URLs issued before status URLs existed are unchanged.
    expect(callbackToken(secret, { kind: 'payout', id: 'po_1' })).toBe(
      callbackToken(secret, { kind: 'payout', id: 'po_1', statusQuery: false }),
    );
  });
});
