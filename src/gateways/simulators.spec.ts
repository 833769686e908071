import { createPublicKey } from 'node:crypto';
import { GATEWAY_CODES } from './gateway-codes';
import { MPESA_DEMO_CREDENTIALS, MPESA_DEMO_PUBLIC_KEY_PEM } from './mpesa/mpesa.config';
import {
  decryptSecurityCredential,
  encryptSecurityCredential,
} from './mpesa/mpesa.security-credential';
import { MPESA_DEMO_PRIVATE_KEY_PEM } from './mpesa/simulator/mpesa-demo-key';
import { PAYPAL_DEMO_CREDENTIALS } from './paypal/paypal.config';
import { startSimulators, type RunningSimulators } from './simulators';
import { STRIPE_DEMO_CREDENTIALS } from './stripe/stripe.config';
import { dataChecksum } from './zaakpay/zaakpay.checksum';
import { ZAAKPAY_DEMO_CREDENTIALS } from './zaakpay/zaakpay.config';

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('startSimulators', () => {
  let running: RunningSimulators;

  beforeAll(async () => {
    running = await startSimulators({
      webhookBaseUrl: 'http://127.0.0.1:9/',
      ports: { zaakpay: 0, mpesa: 0, paypal: 0, stripe: 0 },
    });
  });
  afterAll(() => running.close());

  it('starts every gateway simulator on its own port', () => {
    const urls = GATEWAY_CODES.map((code) => running.urls[code]);
    urls.forEach((url) => expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/));
    expect(new Set(urls).size).toBe(4);
  });

  it('Stripe answers its real paths for the demo key only', async () => {
    const path = `${running.urls.stripe}/v1/payment_intents/pi_missing`;
    const response = await fetch(path, {
      headers: { authorization: `Bearer ${STRIPE_DEMO_CREDENTIALS.secretKey}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'resource_missing' },
    });
    const wrong = await fetch(path, { headers: { authorization: 'Bearer sk_test_other' } });
    expect(wrong.status).toBe(401);
  });

  it('PayPal issues an OAuth token to the demo client', async () => {
    const token = (authorization: string) =>
      fetch(`${running.urls.paypal}/v1/oauth2/token`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
    const response = await token(
      basic(PAYPAL_DEMO_CREDENTIALS.clientId, PAYPAL_DEMO_CREDENTIALS.clientSecret),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer' });
    expect((await token(basic(PAYPAL_DEMO_CREDENTIALS.clientId, 'wrong'))).status).toBe(401);
  });

  it('M-Pesa issues an OAuth token to the demo app', async () => {
    const token = (authorization: string) =>
      fetch(`${running.urls.mpesa}/oauth/v1/generate?grant_type=client_credentials`, {
        headers: { authorization },
      });
    const response = await token(
      basic(MPESA_DEMO_CREDENTIALS.consumerKey, MPESA_DEMO_CREDENTIALS.consumerSecret),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ expires_in: '3599' });
    expect((await token(basic(MPESA_DEMO_CREDENTIALS.consumerKey, 'wrong'))).status).toBe(400);
  });

  it("M-Pesa's demo certificate key matches the key the simulator decrypts with", () => {
    expect(
      createPublicKey(MPESA_DEMO_PRIVATE_KEY_PEM).export({ type: 'spki', format: 'pem' }),
    ).toBe(MPESA_DEMO_PUBLIC_KEY_PEM);
    const credential = encryptSecurityCredential(
      MPESA_DEMO_PUBLIC_KEY_PEM,
      MPESA_DEMO_CREDENTIALS.initiatorPassword,
    );
    expect(decryptSecurityCredential(MPESA_DEMO_PRIVATE_KEY_PEM, credential)).toBe(
      MPESA_DEMO_CREDENTIALS.initiatorPassword,
    );
  });

  it('Zaakpay answers checkTxn checksummed with the demo secret, and refuses another', async () => {
    const data = JSON.stringify({
      merchantIdentifier: ZAAKPAY_DEMO_CREDENTIALS.merchantIdentifier,
      mode: '0',
      orderDetail: { orderId: 'ord-missing' },
    });
    const checkTxn = async (checksum: string) => {
      const response = await fetch(`${running.urls.zaakpay}/checkTxn`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ data, checksum }).toString(),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    expect(await checkTxn(dataChecksum(ZAAKPAY_DEMO_CREDENTIALS.secretKey, data))).toMatchObject({
      success: true,
      orders: [{ orderDetail: { orderId: 'ord-missing' }, responseCode: '205' }],
    });
    expect(await checkTxn(dataChecksum('another-secret', data))).toMatchObject({
      success: false,
      responseCode: '180',
    });
  });

  it('closes every simulator', async () => {
    const other = await startSimulators({
      webhookBaseUrl: 'http://127.0.0.1:9',
      ports: { zaakpay: 0, mpesa: 0, paypal: 0, stripe: 0 },
    });
    await other.close();
    await expect(fetch(`${other.urls.stripe}/v1/payment_intents/x`)).rejects.toThrow();
  });
});
