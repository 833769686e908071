import type { MpesaConfig } from './mpesa.config';
import type { MpesaSimulator } from './simulator/mpesa.simulator';

/** A gateway config pointed at a running simulator, with short timeouts for tests. */
export function mpesaConfigFor(
  simulator: MpesaSimulator,
  overrides: Partial<MpesaConfig> = {},
): MpesaConfig {
  return {
    baseUrl: simulator.url,
    consumerKey: simulator.options.consumerKey,
    consumerSecret: simulator.options.consumerSecret,
    shortcode: simulator.options.shortcode,
    passkey: simulator.options.passkey,
    transactionType: 'CustomerPayBillOnline',
    initiatorName: simulator.options.initiatorName,
    initiatorPassword: simulator.options.initiatorPassword,
    certificatePem: simulator.certificatePem,
    callbackSecret: 'test-callback-secret',
    timeoutMs: 1_000,
    maxRetries: 2,
    retryBaseDelayMs: 10,
    ...overrides,
  };
}
