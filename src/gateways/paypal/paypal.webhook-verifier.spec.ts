import { sign, verify } from 'node:crypto';
import { uniqueId } from '../../../test/utils/gateway-contract';
import { WebhookReceiver } from '../../../test/utils/webhook-receiver';
import { GatewayError } from '../gateway.error';
import type { RawWebhook } from '../payment-gateway';
import {
  tamperPaypalWebhook,
  TEST_CREDENTIALS,
  testConfig,
  testInitiateRequest,
} from './__fixtures__/paypal.harness';
import { PaypalGateway } from './paypal.gateway';
import { paypalBodyCrc32, paypalSignedMessage, readTransmission } from './paypal.webhook-verifier';
import { playPaypalBuyer } from './simulator/paypal-buyer';
import { createPaypalSimulator, type PaypalSimulator } from './simulator/paypal.simulator';
import { createSelfSignedCertificate } from '../simulator-kit/self-signed-certificate';

// Worked example from paypal.md section 8.3.
const SAMPLE_BODY =
  '{"id":"WH-TEST-0001","event_type":"PAYMENT.CAPTURE.COMPLETED","resource_type":"capture","resource":{"id":"0KH63525CC2244828","status":"COMPLETED","amount":{"currency_code":"USD","value":"10.00"}}}';
const SAMPLE = {
  transmissionId: '69cd13f0-d67a-11e5-baa3-778b53f4ae55',
  transmissionTime: '2016-02-18T20:01:35Z',
};
const SAMPLE_WEBHOOK_ID = '1JE4291016473214C';
const SAMPLE_MESSAGE =
  '69cd13f0-d67a-11e5-baa3-778b53f4ae55|2016-02-18T20:01:35Z|1JE4291016473214C|3149551379';

async function expectInvalid(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(GatewayError);
  await expect(promise).rejects.toMatchObject({ kind: 'invalid_webhook' });
}

describe('paypal webhook verification', () => {
  describe('worked examples (paypal.md)', () => {
    it('computes the unsigned CRC-32 of the sample body', () => {
      expect(paypalBodyCrc32(Buffer.from(SAMPLE_BODY))).toBe(3149551379);
    });

    it('builds the exact signed string', () => {
      expect(paypalSignedMessage(SAMPLE, SAMPLE_WEBHOOK_ID, Buffer.from(SAMPLE_BODY))).toBe(
        SAMPLE_MESSAGE,
      );
    });

    it('round-trips an RSA-SHA256 signature and fails once the CRC changes by one', () => {
      const { privateKey, certificate } = createSelfSignedCertificate('sample');
      const signature = sign('sha256', Buffer.from(SAMPLE_MESSAGE), privateKey);
      expect(verify('sha256', Buffer.from(SAMPLE_MESSAGE), certificate.publicKey, signature)).toBe(
        true,
      );
      const tampered = SAMPLE_MESSAGE.replace(/3149551379$/, '3149551380');
      expect(verify('sha256', Buffer.from(tampered), certificate.publicKey, signature)).toBe(false);
    });

    it('encodes OAuth Basic credentials as in the docs', () => {
      expect(Buffer.from('CLIENT_ID:CLIENT_SECRET').toString('base64')).toBe(
        'Q0xJRU5UX0lEOkNMSUVOVF9TRUNSRVQ=',
      );
    });

    it('reads the PAYPAL-* headers case-insensitively and refuses missing ones', () => {
      const transmission = readTransmission({
        'PAYPAL-TRANSMISSION-ID': 'a',
        'Paypal-Transmission-Time': 'b',
        'paypal-transmission-sig': 'c',
        'paypal-cert-url': 'd',
        'paypal-auth-algo': 'SHA256withRSA',
      });
      expect(transmission).toEqual({
        transmissionId: 'a',
        transmissionTime: 'b',
        transmissionSig: 'c',
        certUrl: 'd',
        authAlgo: 'SHA256withRSA',
      });
      expect(() => readTransmission({ 'paypal-transmission-id': 'a' })).toThrow(GatewayError);
    });
  });

  describe('against the simulator', () => {
    const receiver = new WebhookReceiver();
    let simulator: PaypalSimulator;
    let offline: PaypalGateway;
    let api: PaypalGateway;
    let webhook: RawWebhook;

    beforeAll(async () => {
      await receiver.start();
      simulator = createPaypalSimulator({
        ...TEST_CREDENTIALS,
        webhookUrl: receiver.url('/webhooks'),
        callbackRetryDelaysMs: [50],
      });
      await simulator.listen(0);
      offline = new PaypalGateway(testConfig(simulator.url, { webhookVerification: 'offline' }));
      api = new PaypalGateway(testConfig(simulator.url, { webhookVerification: 'api' }));
      const started = await offline.initiate(testInitiateRequest());
      await playPaypalBuyer(started, 'approve');
      await offline.completeApproval(started.reference!, uniqueId('cmp'));
      webhook = await receiver.waitFor((received) =>
        received.rawBody.includes('PAYMENT.CAPTURE.COMPLETED'),
      );
    });

    afterAll(async () => {
      await simulator.close();
      await receiver.stop();
    });

    it.each(['offline', 'api'] as const)('accepts a genuine event (%s)', async (mode) => {
      const parsed = await (mode === 'offline' ? offline : api).parseWebhook(webhook);
      expect(parsed.events).toHaveLength(1);
      expect(parsed.events[0]).toMatchObject({ type: 'payment.captured', trust: 'signature' });
      expect(parsed.acknowledgement.status).toBe(200);
    });

    it.each(['offline', 'api'] as const)(
      'rejects a tampered, unsigned or re-signed event (%s)',
      async (mode) => {
        const gateway = mode === 'offline' ? offline : api;
        await expectInvalid(gateway.parseWebhook(tamperPaypalWebhook(webhook)));
        await expectInvalid(
          gateway.parseWebhook({ headers: {}, query: {}, rawBody: webhook.rawBody }),
        );
        await expectInvalid(gateway.parseWebhook({ ...webhook, rawBody: Buffer.from('not json') }));
        const forged = sign(
          'sha256',
          Buffer.from('forged'),
          createSelfSignedCertificate('evil').privateKey,
        ).toString('base64');
        await expectInvalid(
          gateway.parseWebhook({
            ...webhook,
            headers: { ...webhook.headers, 'paypal-transmission-sig': forged },
          }),
        );
      },
    );

    it.each(['offline', 'api'] as const)(
      'rejects an event signed for another webhook id (%s)',
      async (mode) => {
        const gateway = new PaypalGateway(
          testConfig(simulator.url, { webhookVerification: mode, webhookId: 'OTHER-WEBHOOK' }),
        );
        await expectInvalid(gateway.parseWebhook(webhook));
      },
    );

    it('never fetches a certificate from an untrusted host', async () => {
      const evil = {
        ...webhook,
        headers: { ...webhook.headers, 'paypal-cert-url': 'https://evil.example.com/cert.pem' },
      };
      await expectInvalid(offline.parseWebhook(evil));
      await expectInvalid(api.parseWebhook(evil));
      const plainPaypal = {
        ...webhook,
        headers: { ...webhook.headers, 'paypal-cert-url': 'http://api.paypal.com/cert.pem' },
      };
      await expectInvalid(offline.parseWebhook(plainPaypal));
    });
  });
});
