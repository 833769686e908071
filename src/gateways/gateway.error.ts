import type { GatewayCode } from './gateway-codes';

/**
 * Failing to reach or understand a gateway (a decline is an outcome, not an error).
 * - invalid_request: refused by us before any call (fractional KES, amount out of limits, currency).
 * - rejected: the gateway refused the request itself (validation, state, idempotency mismatch).
 * - timeout: no answer in time AFTER the request may have reached the gateway: outcome unknown.
 * - unavailable: could not connect, or 5xx/429: the gateway did not act (or says so).
 * - misconfigured: our credentials or configuration are wrong (401/403, bad key, unknown gateway).
 * - bad_response: an answer we cannot understand or whose checksum does not verify.
 * - invalid_webhook: a callback that fails verification or parsing; nothing may be stored.
 */
export type GatewayErrorKind =
  | 'invalid_request'
  | 'rejected'
  | 'timeout'
  | 'unavailable'
  | 'misconfigured'
  | 'bad_response'
  | 'invalid_webhook';

const RETRYABLE: Record<GatewayErrorKind, boolean> = {
  invalid_request: false,
  rejected: false,
  timeout: true,
  unavailable: true,
  misconfigured: false,
  bad_response: false,
  invalid_webhook: false,
};

export interface GatewayErrorOptions {
  gatewayCode?: GatewayCode;
  /** The gateway's own error code (`resource_missing`, `400.002.02`, `INVALID_RESOURCE_ID`...). */
  gatewayErrorCode?: string;
  httpStatus?: number;
  /** Overrides the kind's default retry decision. */
  retryable?: boolean;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly gatewayCode?: GatewayCode;
  readonly gatewayErrorCode?: string;
  readonly httpStatus?: number;
  readonly retryable: boolean;

  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.gatewayCode = options.gatewayCode;
    this.gatewayErrorCode = options.gatewayErrorCode;
    this.httpStatus = options.httpStatus;
    this.retryable = options.retryable ?? RETRYABLE[kind];
  }

  /** True when the gateway may have acted: never treat as failed, reconcile with fetchStatus. */
  get outcomeUnknown(): boolean {
    return this.kind === 'timeout';
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
