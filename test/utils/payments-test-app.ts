import { createServer } from 'node:net';
import { GATEWAY_CODES, type GatewayCode } from '../../src/gateways/gateway-codes';
import type { ChargeOutcome, NextAction } from '../../src/gateways/payment-gateway';
import { playPaypalBuyer } from '../../src/gateways/paypal/simulator/paypal-buyer';
import type { Fault } from '../../src/gateways/simulator-kit/faults';
import { startSimulators, type RunningSimulators } from '../../src/gateways/simulators';
import { submitCheckout } from '../../src/gateways/zaakpay/simulator/zaakpay-buyer';
import { createTestApp, type TestApp } from './create-test-app';

export interface PaymentsTestApp extends TestApp {
  readonly simulators: RunningSimulators;
  /** Scripts a fault into one gateway's simulator. */
  fault(code: GatewayCode, fault: Fault): Promise<void>;
  /** Delivers the callbacks a simulator held back (callback_hold), in reverse order. */
  flushCallbacks(code: GatewayCode): Promise<void>;
  /** Clears every simulator's state and faults. */
  resetSimulators(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The real app plus all four gateway simulators on free ports, wired both ways: the app's gateway
 * clients call the simulators, and the simulators deliver webhooks to the app's /webhooks/<code>.
 */
export async function createPaymentsTestApp(
  env: Record<string, string> = {},
): Promise<PaymentsTestApp> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const simulators = await startSimulators({
    webhookBaseUrl: publicUrl,
    ports: Object.fromEntries(GATEWAY_CODES.map((code) => [code, 0])),
  });
  const app = await createTestApp(
    {
      PUBLIC_URL: publicUrl,
      ZAAKPAY_BASE_URL: simulators.urls.zaakpay,
      ZAAKPAY_API_BASE_URL: simulators.urls.zaakpay,
      MPESA_BASE_URL: simulators.urls.mpesa,
      PAYPAL_BASE_URL: simulators.urls.paypal,
      STRIPE_BASE_URL: simulators.urls.stripe,
      // Fast gateway timeouts so timeout paths run quickly; reconciliation every half second.
      STRIPE_TIMEOUT_MS: '1500',
      PAYPAL_TIMEOUT_MS: '1500',
      MPESA_TIMEOUT_MS: '1500',
      ZAAKPAY_TIMEOUT_MS: '1500',
      PAYMENT_RECONCILE_INTERVAL_MS: '300',
      PAYMENT_RECONCILE_SCHEDULE: '1,1,1,1',
      ...env,
    },
    { port },
  ).catch(async (error: unknown) => {
    await simulators.close();
    throw error;
  });
  const control = async (code: GatewayCode, path: string, body?: unknown): Promise<void> => {
    const response = await fetch(`${simulators.urls[code]}/__sim/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new Error(`simulator ${code} ${path}: HTTP ${response.status}`);
  };
  return {
    ...app,
    simulators,
    fault: (code, fault) => control(code, 'faults', fault),
    flushCallbacks: (code) => control(code, 'callbacks/flush'),
    resetSimulators: async () => {
      for (const code of GATEWAY_CODES) await control(code, 'reset');
    },
    close: async () => {
      await app.close();
      await simulators.close();
    },
  };
}

/** The nextAction as the GraphQL API returns it. */
export interface NextActionView {
  type: 'REDIRECT' | 'FORM_POST' | 'STK_PUSH' | 'APPROVAL' | 'THREE_DS';
  url: string | null;
  formFields: { name: string; value: string }[] | null;
  phone: string | null;
}

function toNextAction(view: NextActionView): NextAction {
  switch (view.type) {
    case 'FORM_POST':
      return {
        type: 'form_post',
        url: view.url!,
        fields: Object.fromEntries((view.formFields ?? []).map((f) => [f.name, f.value])),
      };
    case 'APPROVAL':
      return { type: 'approval', url: view.url! };
    case 'THREE_DS':
      return { type: 'three_ds', url: view.url! };
    case 'STK_PUSH':
      return { type: 'stk_push', phone: view.phone!, message: '' };
    default:
      return { type: 'redirect', url: view.url! };
  }
}

/**
 * Plays the customer at the gateway, as a browser or phone would: submits the Zaakpay checkout,
 * approves at PayPal, passes Stripe 3DS, answers the M-Pesa PIN prompt.
 */
export async function actAsCustomer(
  t: PaymentsTestApp,
  gatewayCode: string,
  nextAction: NextActionView,
  gatewayReference: string,
  choice: 'approve' | 'decline',
): Promise<void> {
  const outcome: ChargeOutcome = {
    status: 'requires_action',
    reference: { id: gatewayReference },
    nextAction: toNextAction(nextAction),
  };
  switch (gatewayCode) {
    case 'zaakpay':
      await submitCheckout(outcome, choice === 'approve' ? 'pay' : 'fail');
      return;
    case 'paypal':
      await playPaypalBuyer(outcome, choice);
      return;
    case 'stripe': {
      const response = await fetch(nextAction.url!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `outcome=${choice === 'approve' ? 'complete' : 'fail'}`,
        redirect: 'manual',
      });
      if (response.status >= 400) throw new Error(`3DS page answered ${response.status}`);
      return;
    }
    case 'mpesa': {
      const response = await fetch(
        `${t.simulators.urls.mpesa}/__sim/stk/${encodeURIComponent(gatewayReference)}/complete`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(choice === 'decline' ? { resultCode: 1032 } : {}),
        },
      );
      if (!response.ok) throw new Error(`STK completion answered ${response.status}`);
      return;
    }
    default:
      throw new Error(`no customer for ${gatewayCode}`);
  }
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
