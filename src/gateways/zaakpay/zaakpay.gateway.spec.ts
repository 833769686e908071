import { runGatewayContract, uniqueId } from '../../../test/utils/gateway-contract';
import type { GatewayHarness } from '../../../test/utils/gateway-harness';
import type { InitiateRequest, RawWebhook } from '../payment-gateway';
import {
  STAGING_MERCHANT_IDENTIFIER,
  STAGING_SECRET_KEY,
} from './__fixtures__/zaakpay-test-credentials';
import { ZaakpayGateway } from './zaakpay.gateway';
import { submitCheckout } from './simulator/zaakpay-buyer';
import { createZaakpaySimulator, type ZaakpaySimulator } from './simulator/zaakpay.simulator';

function tamperWebhook(webhook: RawWebhook): RawWebhook {
  const form = new URLSearchParams(webhook.rawBody.toString('utf8'));
  const txnData = form.get('txnData') ?? '';
  form.set('txnData', txnData.replace('"amount":"', '"amount":"9'));
  return { ...webhook, rawBody: Buffer.from(form.toString()) };
}

let simulator: ZaakpaySimulator;

const harness: GatewayHarness = {
  async start(receiver) {
    simulator = createZaakpaySimulator({
      merchantIdentifier: STAGING_MERCHANT_IDENTIFIER,
      secretKey: STAGING_SECRET_KEY,
      webhookUrl: receiver.url('/webhooks/zaakpay'),
      callbackRetryDelaysMs: [20, 50],
    });
    const url = await simulator.listen(0);
    return new ZaakpayGateway({
      merchantIdentifier: STAGING_MERCHANT_IDENTIFIER,
      secretKey: STAGING_SECRET_KEY,
      baseUrl: url,
      apiBaseUrl: url,
      timeoutMs: 1_000,
      maxRetries: 2,
      retryBaseDelayMs: 10,
    });
  },
  async stop() {
    await simulator.close();
  },
  async reset() {
    await simulator.drainCallbacks();
    simulator.reset();
  },
  amount: { amountMinor: 10_000, currency: 'INR' },
  request(kind, overrides = {}): InitiateRequest {
    return {
      attemptId: uniqueId('att'),
      // Paisa ending 01 makes the simulated bank decline (code 400) even when the buyer pays.
      amount: { amountMinor: kind === 'approve' ? 10_000 : 10_001, currency: 'INR' },
      captureMode: 'automatic',
      paymentMethod: 'card',
      description: 'Contract suite order',
      customer: {
        email: 'buyer@example.com',
        name: 'Asha Rao',
        phone: '919876543210',
        ip: '203.0.113.7',
      },
      returnUrl: 'https://merchant.example.com/zaakpay/return',
      callbackUrl: 'https://merchant.example.com/webhooks/zaakpay',
      ...overrides,
    };
  },
  async act(outcome, choice) {
    await submitCheckout(outcome, choice === 'approve' ? 'pay' : 'fail');
  },
  complete: (gateway, outcome) => gateway.fetchStatus(outcome.reference!),
  paths: { refund: '^/updateTxn$', status: '^/checkTxn$' },
  async fault(fault) {
    const response = await fetch(`${simulator.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    if (response.status !== 201) throw new Error(`fault refused: ${response.status}`);
  },
  async refundedTotalMinor(reference) {
    return simulator.refundedTotalMinor(reference.id);
  },
  signedWebhooks: true,
  tamper: tamperWebhook,
};

runGatewayContract('zaakpay', harness);
