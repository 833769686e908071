import { allowsDemoSecrets } from '../config/profile';
import type { GatewayCode } from './gateway-codes';

/** Where each gateway's simulator listens by default (`npm run simulators`). */
export const SIMULATOR_PORTS: Readonly<Record<GatewayCode, number>> = {
  zaakpay: 4101,
  mpesa: 4102,
  paypal: 4103,
  stripe: 4104,
};

/** The simulator's base URL on this machine: the default gateway host outside production. */
export function localSimulatorUrl(code: GatewayCode): string {
  return `http://127.0.0.1:${SIMULATOR_PORTS[code]}`;
}

/** A gateway's host when none is configured: the local simulator outside production, else the real one. */
export function defaultGatewayBaseUrl(
  code: GatewayCode,
  realUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return allowsDemoSecrets(env) ? localSimulatorUrl(code) : realUrl;
}
