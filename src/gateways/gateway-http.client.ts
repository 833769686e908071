import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { beginGatewayCall } from '../common/observability/request-timing';
import type { GatewayCode } from './gateway-codes';
import { GatewayError } from './gateway.error';

export interface GatewayHttpOptions {
  readonly gatewayCode: GatewayCode;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** Extra tries for idempotent requests (GETs, or POSTs carrying an idempotency key the gateway honours). */
  readonly maxRetries: number;
  /** First back-off delay; doubles each try, with jitter. */
  readonly retryBaseDelayMs?: number;
}

export interface GatewayHttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path relative to the base URL, with its query string if any. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * True when sending the same request twice cannot act twice. Only then do timeouts, 5xx and 429 get
   * retried; a non-idempotent request is retried only when the connection was refused (never sent).
   */
  readonly idempotent: boolean;
  /**
   * Whether a timeout or lost connection is retried too (default: `idempotent`). False surfaces the
   * `timeout` (outcome unknown) to the caller at once, who can repeat the same idempotent request later.
   */
  readonly retryOnTimeout?: boolean;
  readonly timeoutMs?: number;
}

export interface GatewayHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly durationMs: number;
}

// Errors raised before a single byte left: the gateway cannot have acted.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (error as { code?: string })?.code;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/**
 * The one HTTP path every gateway client uses: timeouts, retry policy and the error taxonomy at
 * the transport level. What a status or body means is the gateway mapper's business.
 * Logs method, path and status only: never headers or bodies (they carry credentials).
 */
export class GatewayHttpClient {
  private readonly logger: Logger;
  private readonly baseUrl: string;

  constructor(private readonly options: GatewayHttpOptions) {
    this.logger = new Logger(`Gateway:${options.gatewayCode}`);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  get base(): string {
    return this.baseUrl;
  }

  /**
   * Sends with the retry policy. Once a try has timed out or lost its connection, the gateway may
   * have acted on it, so a later try's refusal or 5xx/429 proves nothing about the request as a
   * whole: it is reported as `timeout` (outcome unknown), never as `unavailable` (not sent).
   */
  async request(request: GatewayHttpRequest): Promise<GatewayHttpResponse> {
    const maxTries = 1 + Math.max(0, this.options.maxRetries);
    let mayHaveActed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.send(request);
        const retryableStatus = response.status === 429 || response.status >= 500;
        if (retryableStatus && request.idempotent && attempt < maxTries) {
          await this.backoff(attempt, response.headers.get('retry-after'));
          continue;
        }
        if (retryableStatus && mayHaveActed) {
          throw this.unknownAfterRetry(`answered HTTP ${response.status}`, response.status);
        }
        return response;
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        if (error.kind === 'timeout') mayHaveActed = true;
        const neverSent = error.kind === 'unavailable';
        const retryLost = request.retryOnTimeout ?? request.idempotent;
        if ((retryLost || neverSent) && attempt < maxTries) {
          await this.backoff(attempt, null);
          continue;
        }
        if (neverSent && mayHaveActed)
          throw this.unknownAfterRetry(error.message, undefined, error);
        throw error;
      }
    }
  }

  private unknownAfterRetry(what: string, httpStatus?: number, cause?: unknown): GatewayError {
    return new GatewayError(
      'timeout',
      `${this.options.gatewayCode}: ${what} after an earlier try that may have reached it; outcome unknown`,
      { gatewayCode: this.options.gatewayCode, httpStatus, cause },
    );
  }

  private async send(request: GatewayHttpRequest): Promise<GatewayHttpResponse> {
    const started = performance.now();
    const url = `${this.baseUrl}${request.path.startsWith('/') ? '' : '/'}${request.path}`;
    const pathOnly = request.path.split('?')[0];
    // Counted as gateway time in the current request's Server-Timing (no-op outside a request).
    const endGatewayCall = beginGatewayCall();
    try {
      const response = await fetch(url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(request.timeoutMs ?? this.options.timeoutMs),
      });
      const text = await response.text();
      const durationMs = Math.round(performance.now() - started);
      this.logger.debug(`${request.method} ${pathOnly} -> ${response.status} in ${durationMs}ms`);
      return { status: response.status, headers: response.headers, text, durationMs };
    } catch (error) {
      const durationMs = Math.round(performance.now() - started);
      const code = errorCode(error);
      if (code && NOT_SENT_CODES.has(code)) {
        this.logger.warn(`${request.method} ${pathOnly} not sent: ${code}`);
        throw new GatewayError('unavailable', `${this.options.gatewayCode} unreachable (${code})`, {
          gatewayCode: this.options.gatewayCode,
          cause: error,
        });
      }
      // A timeout or a connection dropped mid-request: the gateway may have acted.
      const reason = isTimeout(error)
        ? `no answer within ${durationMs}ms`
        : `connection lost (${code ?? 'unknown'})`;
      this.logger.warn(`${request.method} ${pathOnly} outcome unknown: ${reason}`);
      throw new GatewayError('timeout', `${this.options.gatewayCode}: ${reason}; outcome unknown`, {
        gatewayCode: this.options.gatewayCode,
        cause: error,
      });
    } finally {
      endGatewayCall();
    }
  }

  private async backoff(attempt: number, retryAfter: string | null): Promise<void> {
    const base = this.options.retryBaseDelayMs ?? 200;
    const fromHeader = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
    const exponential = base * 2 ** (attempt - 1);
    const delay = Math.min(Math.max(fromHeader, exponential) * (0.75 + Math.random() / 2), 5_000);
    await sleep(delay);
  }
}

/** The default meaning of an HTTP status when the gateway's body says nothing more specific. */
export function kindForHttpStatus(status: number): 'misconfigured' | 'unavailable' | 'rejected' {
  if (status === 401 || status === 403) return 'misconfigured';
  if (status === 429 || status >= 500) return 'unavailable';
  return 'rejected';
}

/** Parses a JSON body or raises bad_response naming the gateway. */
export function parseJsonBody<T>(gatewayCode: GatewayCode, response: GatewayHttpResponse): T {
  try {
    return JSON.parse(response.text) as T;
  } catch (error) {
    throw new GatewayError(
      'bad_response',
      `${gatewayCode} answered HTTP ${response.status} with a body that is not JSON`,
      {
        gatewayCode,
        httpStatus: response.status,
        cause: error,
      },
    );
  }
}
