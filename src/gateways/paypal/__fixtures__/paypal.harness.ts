import { uniqueId } from '../../../../test/utils/gateway-contract';
import type { GatewayHarness } from '../../../../test/utils/gateway-harness';
import type { WebhookReceiver } from '../../../../test/utils/webhook-receiver';
import type { Fault } from '../../simulator-kit/faults';
import type {
  ChargeOutcome,
  GatewayReference,
  InitiateRequest,
  PaymentGateway,
  RawWebhook,
} from '../../payment-gateway';
import type { PaypalConfig } from '../paypal.config';
import { PaypalGateway } from '../paypal.gateway';
import { playPaypalBuyer } from '../simulator/paypal-buyer';
import { createPaypalSimulator, type PaypalSimulator } from '../simulator/paypal.simulator';

// Test support for the PayPal specs (excluded from the build with the rest of __fixtures__).

export const TEST_CREDENTIALS = {
  clientId: 'test-client-id',
  clientSecret: 'test-client-secret',
  webhookId: '1JE4291016473214C',
};

export function testConfig(baseUrl: string, overrides: Partial<PaypalConfig> = {}): PaypalConfig {
  return {
    baseUrl,
    ...TEST_CREDENTIALS,
    webhookVerification: 'offline',
    webhookCertHosts: [],
    timeoutMs: 1_000,
    maxRetries: 2,
    retryBaseDelayMs: 10,
    tokenRefreshMarginSeconds: 300,
    brandName: 'Payrail test shop',
    ...overrides,
  };
}

export function testInitiateRequest(overrides: Partial<InitiateRequest> = {}): InitiateRequest {
  return {
    attemptId: uniqueId('att'),
    amount: { amountMinor: 1000, currency: 'USD' },
    captureMode: 'automatic',
    paymentMethod: 'paypal',
    description: 'Test order',
    customer: { email: 'sb-buyer@personal.example.com', name: 'Test Buyer' },
    returnUrl: 'https://shop.example.com/paypal/return',
    cancelUrl: 'https://shop.example.com/paypal/cancel',
    callbackUrl: 'https://shop.example.com/webhooks/paypal',
    ...overrides,
  };
}

/** Same body, one value changed: the signature (and PayPal's postback check) must fail. */
export function tamperPaypalWebhook(webhook: RawWebhook): RawWebhook {
  const body = webhook.rawBody
    .toString('utf8')
    .replace('"event_version":"1.0"', '"event_version":"1.1"');
  return { ...webhook, rawBody: Buffer.from(body) };
}

export function createPaypalHarness(): GatewayHarness & { simulator(): PaypalSimulator } {
  let simulator: PaypalSimulator;
  let gateway: PaypalGateway;
  let receiverUrl = '';
  return {
    simulator: () => simulator,
    async start(receiver: WebhookReceiver): Promise<PaymentGateway> {
      receiverUrl = receiver.url();
      simulator = createPaypalSimulator({
        ...TEST_CREDENTIALS,
        webhookUrl: receiver.url('/webhooks'),
        callbackRetryDelaysMs: [50, 100],
      });
      await simulator.listen(0);
      gateway = new PaypalGateway(testConfig(simulator.url));
      return gateway;
    },
    async stop() {
      await simulator.close();
    },
    async reset() {
      await fetch(`${simulator.url}/__sim/reset`, { method: 'POST' });
    },
    amount: { amountMinor: 1000, currency: 'USD' },
    request(
      kind: 'approve' | 'decline',
      overrides: Partial<InitiateRequest> = {},
    ): InitiateRequest {
      // As in the sandbox, the buyer decides on the approval page (act); the request is the same.
      return testInitiateRequest({
        description:
          kind === 'approve' ? 'Contract suite order' : 'Contract suite order (buyer declines)',
        callbackUrl: receiverUrl,
        ...overrides,
      });
    },
    async act(outcome: ChargeOutcome, choice: 'approve' | 'decline') {
      await playPaypalBuyer(outcome, choice);
    },
    async complete(_gateway: PaymentGateway, outcome: ChargeOutcome): Promise<ChargeOutcome> {
      if (!outcome.reference) throw new Error('no reference to complete');
      return gateway.completeApproval(outcome.reference, uniqueId('cmp'));
    },
    paths: {
      refund: '^/v2/payments/captures/[^/]+/refund$',
      status: '^/v2/checkout/orders/[^/]+$',
    },
    async fault(fault: Fault) {
      const response = await fetch(`${simulator.url}/__sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
      if (response.status !== 201) throw new Error(`fault refused: ${response.status}`);
    },
    async refundedTotalMinor(reference: GatewayReference) {
      return simulator.refundedTotalMinor(reference.extra?.captureId ?? '');
    },
    signedWebhooks: true,
    tamper: tamperPaypalWebhook,
    payoutRecipient: { email: 'sb-payee@business.example.com' },
  };
}
