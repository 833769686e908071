import { GatewayError } from '../gateway.error';
import type { RawWebhook } from '../payment-gateway';
import {
  RETURN_RESPONSE,
  WEBHOOK_NON_REALTIME,
  WEBHOOK_REALTIME,
} from './__fixtures__/zaakpay-doc-vectors';
import {
  SAMPLE_MERCHANT_IDENTIFIER,
  STAGING_MERCHANT_IDENTIFIER,
  STAGING_SECRET_KEY,
} from './__fixtures__/zaakpay-test-credentials';
import { ZaakpayWebhookVerifier } from './zaakpay.webhook-verifier';

const verifier = new ZaakpayWebhookVerifier({
  merchantIdentifier: SAMPLE_MERCHANT_IDENTIFIER,
  secretKey: STAGING_SECRET_KEY,
});

function formWebhook(txnData: string, checksum: string, realtime = 'true'): RawWebhook {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    query: { realtime },
    rawBody: Buffer.from(new URLSearchParams({ txnData, checksum }).toString()),
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

describe('ZaakpayWebhookVerifier', () => {
  it('verifies the doc webhook sample, form-encoded as Zaakpay sends it', () => {
    const verified = verifier.verifyWebhook(
      formWebhook(WEBHOOK_REALTIME.txnData, WEBHOOK_REALTIME.checksum),
    );
    expect(verified.rawTxnData).toBe(WEBHOOK_REALTIME.txnData);
    expect(verified.realtime).toBe(true);
    expect(verified.txnData.txns).toHaveLength(1);
  });

  it('also accepts the JSON body the doc prose mentions', () => {
    const webhook: RawWebhook = {
      headers: { 'content-type': 'application/json' },
      query: {},
      rawBody: Buffer.from(
        JSON.stringify({ txnData: WEBHOOK_REALTIME.txnData, checksum: WEBHOOK_REALTIME.checksum }),
      ),
    };
    expect(verifier.verifyWebhook(webhook).txnData.merchantIdentifier).toBe(
      SAMPLE_MERCHANT_IDENTIFIER,
    );
  });

  it('reads realtime=false pushes', () => {
    const staging = new ZaakpayWebhookVerifier({
      merchantIdentifier: STAGING_MERCHANT_IDENTIFIER,
      secretKey: STAGING_SECRET_KEY,
    });
    const verified = staging.verifyWebhook(
      formWebhook(WEBHOOK_NON_REALTIME.txnData, WEBHOOK_NON_REALTIME.checksum, 'false'),
    );
    expect(verified.realtime).toBe(false);
  });

  it('refuses re-serialised txnData, a wrong checksum, a missing checksum or another merchant', () => {
    const reserialised = JSON.stringify(JSON.parse(WEBHOOK_REALTIME.txnData));
    expectInvalid(() =>
      verifier.verifyWebhook(formWebhook(reserialised, WEBHOOK_REALTIME.checksum)),
    );
    expectInvalid(() =>
      verifier.verifyWebhook(formWebhook(WEBHOOK_REALTIME.txnData, '0'.repeat(64))),
    );
    expectInvalid(() => verifier.verifyWebhook(formWebhook(WEBHOOK_REALTIME.txnData, '')));
    const other = new ZaakpayWebhookVerifier({
      merchantIdentifier: STAGING_MERCHANT_IDENTIFIER,
      secretKey: STAGING_SECRET_KEY,
    });
    expectInvalid(() =>
      other.verifyWebhook(formWebhook(WEBHOOK_REALTIME.txnData, WEBHOOK_REALTIME.checksum)),
    );
    expectInvalid(() =>
      verifier.verifyWebhook({ headers: {}, query: {}, rawBody: Buffer.from('{not json') }),
    );
  });

  it('verifies the returnUrl response and rejects a tampered one', () => {
    const posted = new URLSearchParams({
      ...RETURN_RESPONSE.fields,
      checksum: RETURN_RESPONSE.checksum,
      bankRefNum: 'unsigned extra',
    });
    expect(verifier.verifyReturn(Buffer.from(posted.toString())).responseCode).toBe('100');
    expect(
      verifier.verifyReturn({ ...RETURN_RESPONSE.fields, checksum: RETURN_RESPONSE.checksum })
        .orderId,
    ).toBe('ZPTEST000123');
    posted.set('amount', '100000');
    expectInvalid(() => verifier.verifyReturn(posted.toString()));
    expectInvalid(() => verifier.verifyReturn({ ...RETURN_RESPONSE.fields }));
  });
});
