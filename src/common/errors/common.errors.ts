import { DomainError } from './domain-error';

/** Errors the rails themselves raise (auth, validation, limits), shared by every module. */
export enum CommonErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  RATE_LIMITED = 'RATE_LIMITED',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  DEPENDENCY_UNAVAILABLE = 'DEPENDENCY_UNAVAILABLE',
  INVALID_CURSOR = 'INVALID_CURSOR',
}

export class ValidationFailedError extends DomainError<CommonErrorCode> {
  constructor(readonly fields: Record<string, string[]>) {
    const summary = Object.entries(fields)
      .map(([field, messages]) => `${field}: ${messages.join('; ')}`)
      .join(' | ');
    super(CommonErrorCode.VALIDATION_FAILED, 'bad_input', `Invalid input: ${summary}`, { fields });
  }
}

export const unauthenticated = (
  message = 'Authentication required',
): DomainError<CommonErrorCode> =>
  new DomainError(CommonErrorCode.UNAUTHENTICATED, 'unauthenticated', message);

export const forbidden = (
  message = 'You are not allowed to do this',
): DomainError<CommonErrorCode> => new DomainError(CommonErrorCode.FORBIDDEN, 'forbidden', message);

export const rateLimited = (retryAfterSeconds: number): DomainError<CommonErrorCode> =>
  new DomainError(
    CommonErrorCode.RATE_LIMITED,
    'rate_limited',
    `Too many requests; retry after ${retryAfterSeconds}s`,
    {
      retryAfterSeconds,
    },
  );

export const dependencyUnavailable = (what: string): DomainError<CommonErrorCode> =>
  new DomainError(
    CommonErrorCode.DEPENDENCY_UNAVAILABLE,
    'unavailable',
    `${what} is unavailable; try again shortly`,
  );
