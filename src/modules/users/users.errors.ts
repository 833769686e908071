import { DomainError, type ErrorKind } from '../../common/errors/domain-error';

export enum UserErrorCode {
  USER_EMAIL_TAKEN = 'USER_EMAIL_TAKEN',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  USER_INVALID_CREDENTIALS = 'USER_INVALID_CREDENTIALS',
  USER_WRONG_PASSWORD = 'USER_WRONG_PASSWORD',
  USER_INVALID_STATUS_CHANGE = 'USER_INVALID_STATUS_CHANGE',
  USER_CANNOT_CHANGE_SELF = 'USER_CANNOT_CHANGE_SELF',
  USER_MERCHANT_REQUIRED = 'USER_MERCHANT_REQUIRED',
  AUTH_REFRESH_TOKEN_INVALID = 'AUTH_REFRESH_TOKEN_INVALID',
  AUTH_REFRESH_TOKEN_REUSED = 'AUTH_REFRESH_TOKEN_REUSED',
  API_KEY_INVALID = 'API_KEY_INVALID',
  API_KEY_NOT_FOUND = 'API_KEY_NOT_FOUND',
  API_KEY_UNKNOWN_SCOPE = 'API_KEY_UNKNOWN_SCOPE',
  MERCHANT_NOT_FOUND = 'MERCHANT_NOT_FOUND',
}

export const USER_ERROR_KINDS: Record<UserErrorCode, ErrorKind> = {
  USER_EMAIL_TAKEN: 'conflict',
  USER_NOT_FOUND: 'not_found',
  USER_INVALID_CREDENTIALS: 'unauthenticated',
  USER_WRONG_PASSWORD: 'bad_input',
  USER_INVALID_STATUS_CHANGE: 'conflict',
  USER_CANNOT_CHANGE_SELF: 'conflict',
  USER_MERCHANT_REQUIRED: 'bad_input',
  AUTH_REFRESH_TOKEN_INVALID: 'unauthenticated',
  AUTH_REFRESH_TOKEN_REUSED: 'unauthenticated',
  API_KEY_INVALID: 'unauthenticated',
  API_KEY_NOT_FOUND: 'not_found',
  API_KEY_UNKNOWN_SCOPE: 'bad_input',
  MERCHANT_NOT_FOUND: 'not_found',
};

export class UserError extends DomainError<UserErrorCode> {
  constructor(code: UserErrorCode, message: string) {
    super(code, USER_ERROR_KINDS[code], message);
  }
}
