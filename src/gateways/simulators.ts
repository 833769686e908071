import { GATEWAY_CODES, type GatewayCode } from './gateway-codes';
import { MPESA_DEMO_CREDENTIALS } from './mpesa/mpesa.config';
import { MPESA_DEMO_PRIVATE_KEY_PEM } from './mpesa/simulator/mpesa-demo-key';
import { createMpesaSimulator } from './mpesa/simulator/mpesa.simulator';
import { PAYPAL_DEMO_CREDENTIALS } from './paypal/paypal.config';
import { createPaypalSimulator } from './paypal/simulator/paypal.simulator';
import { SIMULATOR_PORTS } from './simulator-ports';
import { createStripeSimulator } from './stripe/simulator/stripe.simulator';
import { STRIPE_DEMO_CREDENTIALS } from './stripe/stripe.config';
import { createZaakpaySimulator } from './zaakpay/simulator/zaakpay.simulator';
import { ZAAKPAY_DEMO_CREDENTIALS } from './zaakpay/zaakpay.config';

export interface SimulatorsOptions {
  /** The app's public base URL: webhooks go to `${webhookBaseUrl}/webhooks/<code>`. */
  readonly webhookBaseUrl: string;
  readonly host?: string;
  /** Port overrides (0: any free port); default SIMULATOR_PORTS. */
  readonly ports?: Partial<Record<GatewayCode, number>>;
}

export interface RunningSimulators {
  readonly urls: Record<GatewayCode, string>;
  close(): Promise<void>;
}

interface Startable {
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts every gateway simulator with the demo credentials the non-production configs default to,
 * so an app in development/demo/test talks to them with no gateway settings at all. Stripe, PayPal
 * and Zaakpay deliver to their account-configured endpoint; M-Pesa to each request's CallBackURL.
 */
export async function startSimulators(options: SimulatorsOptions): Promise<RunningSimulators> {
  const webhookUrl = (code: GatewayCode): string =>
    `${options.webhookBaseUrl.replace(/\/+$/, '')}/webhooks/${code}`;
  const simulators: Record<GatewayCode, Startable> = {
    zaakpay: createZaakpaySimulator({
      ...ZAAKPAY_DEMO_CREDENTIALS,
      webhookUrl: webhookUrl('zaakpay'),
    }),
    mpesa: createMpesaSimulator({
      consumerKey: MPESA_DEMO_CREDENTIALS.consumerKey,
      consumerSecret: MPESA_DEMO_CREDENTIALS.consumerSecret,
      shortcode: MPESA_DEMO_CREDENTIALS.shortcode,
      passkey: MPESA_DEMO_CREDENTIALS.passkey,
      initiatorName: MPESA_DEMO_CREDENTIALS.initiatorName,
      initiatorPassword: MPESA_DEMO_CREDENTIALS.initiatorPassword,
      privateKeyPem: MPESA_DEMO_PRIVATE_KEY_PEM,
    }),
    paypal: createPaypalSimulator({
      ...PAYPAL_DEMO_CREDENTIALS,
      webhookUrl: webhookUrl('paypal'),
    }),
    stripe: createStripeSimulator({
      ...STRIPE_DEMO_CREDENTIALS,
      webhookUrl: webhookUrl('stripe'),
    }),
  };
  const started: Startable[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(started.splice(0).map((simulator) => simulator.close()));
  };
  const urls = {} as Record<GatewayCode, string>;
  try {
    for (const code of GATEWAY_CODES) {
      const simulator = simulators[code];
      urls[code] = await simulator.listen(
        options.ports?.[code] ?? SIMULATOR_PORTS[code],
        options.host ?? '127.0.0.1',
      );
      started.push(simulator);
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { urls, close: closeAll };
}
