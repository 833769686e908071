import { GraphQLError } from 'graphql';
import { GatewayError } from '../../gateways/gateway.error';
import { ValidationFailedError } from './common.errors';
import {
  DomainError,
  GRAPHQL_CODE_BY_KIND,
  HTTP_STATUS_BY_KIND,
  INTERNAL_ERROR_CODE,
} from './domain-error';

/** How any thrown error is shown to a client: one place for GraphQL and REST alike. */
export interface PresentedError {
  readonly httpStatus: number;
  /** Our GraphQL-style code (BAD_USER_INPUT, NOT_FOUND, ...). */
  readonly code: string;
  /** The domain's own code where there is one (USER_EMAIL_TAKEN...). */
  readonly reason?: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
  /** True when the error was unexpected and must be logged with its stack. */
  readonly internal: boolean;
}

const INTERNAL: PresentedError = {
  httpStatus: 500,
  code: INTERNAL_ERROR_CODE,
  message: 'Internal server error',
  internal: true,
};

function fromHttpLike(error: {
  getStatus(): number;
  message: string;
  getResponse(): unknown;
}): PresentedError {
  const status = error.getStatus();
  const byStatus: Record<number, string> = {
    400: 'BAD_USER_INPUT',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    413: 'BAD_USER_INPUT',
    415: 'BAD_USER_INPUT',
    429: 'RATE_LIMITED',
  };
  const code = byStatus[status];
  if (!code) return INTERNAL;
  return { httpStatus: status, code, message: error.message, internal: false };
}

// Driver errors that mean "the database is unreachable", not "the query is wrong".
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'POOL_CLOSED',
]);

function isConnectionFailure(error: unknown): boolean {
  const candidate = error as
    | {
        code?: unknown;
        driverError?: { code?: unknown };
        cause?: { code?: unknown };
        thrownValue?: { code?: unknown };
      }
    | undefined;
  // mysql2 can reject with a plain object, which graphql wraps as NonErrorThrown { thrownValue }.
  const codes = [
    candidate?.code,
    candidate?.driverError?.code,
    candidate?.cause?.code,
    candidate?.thrownValue?.code,
  ];
  return codes.some((code) => typeof code === 'string' && CONNECTION_ERROR_CODES.has(code));
}

export function presentError(error: unknown): PresentedError {
  if (isConnectionFailure(error)) {
    return {
      httpStatus: 503,
      code: 'SERVICE_UNAVAILABLE',
      reason: 'DEPENDENCY_UNAVAILABLE',
      message: 'A backing service is unavailable; try again shortly',
      internal: false,
    };
  }
  if (error instanceof ValidationFailedError) {
    return {
      httpStatus: 400,
      code: 'BAD_USER_INPUT',
      reason: error.code,
      message: error.message,
      details: { fields: error.fields },
      internal: false,
    };
  }
  if (error instanceof DomainError) {
    return {
      httpStatus: HTTP_STATUS_BY_KIND[error.kind],
      code: GRAPHQL_CODE_BY_KIND[error.kind],
      reason: error.code,
      message: error.message,
      details: Object.keys(error.details).length > 0 ? error.details : undefined,
      internal: false,
    };
  }
  if (error instanceof GatewayError) {
    const unavailable = error.kind === 'timeout' || error.kind === 'unavailable';
    return {
      httpStatus: unavailable ? 503 : 502,
      code: unavailable ? 'SERVICE_UNAVAILABLE' : 'GATEWAY_ERROR',
      reason: `GATEWAY_${error.kind.toUpperCase()}`,
      message: error.message,
      internal: error.kind === 'misconfigured' || error.kind === 'bad_response',
    };
  }
  const candidate = error as {
    getStatus?: unknown;
    getResponse?: unknown;
    statusCode?: unknown;
    code?: unknown;
  };
  if (typeof candidate?.getStatus === 'function' && typeof candidate.getResponse === 'function') {
    return fromHttpLike(error as { getStatus(): number; message: string; getResponse(): unknown });
  }
  // Fastify's own client errors (bad JSON, body too large, wrong content type).
  if (
    typeof candidate?.statusCode === 'number' &&
    candidate.statusCode >= 400 &&
    candidate.statusCode < 500
  ) {
    const status = candidate.statusCode;
    return {
      httpStatus: status,
      code: status === 429 ? 'RATE_LIMITED' : 'BAD_USER_INPUT',
      reason: typeof candidate.code === 'string' ? candidate.code : undefined,
      message: (error as Error).message,
      internal: false,
    };
  }
  if (
    error instanceof GraphQLError &&
    error.extensions?.code &&
    error.extensions.code !== INTERNAL_ERROR_CODE
  ) {
    return {
      httpStatus: 400,
      code: String(error.extensions.code),
      message: error.message,
      internal: false,
    };
  }
  return INTERNAL;
}
