import { DomainError, type ErrorKind } from '../../common/errors/domain-error';

export enum MerchantWebhookErrorCode {
  WEBHOOK_ENDPOINT_NOT_FOUND = 'WEBHOOK_ENDPOINT_NOT_FOUND',
  WEBHOOK_ENDPOINT_LIMIT_REACHED = 'WEBHOOK_ENDPOINT_LIMIT_REACHED',
  WEBHOOK_ENDPOINT_DISABLED = 'WEBHOOK_ENDPOINT_DISABLED',
  WEBHOOK_URL_INVALID = 'WEBHOOK_URL_INVALID',
  WEBHOOK_URL_NOT_ALLOWED = 'WEBHOOK_URL_NOT_ALLOWED',
  WEBHOOK_EVENT_NOT_FOUND = 'WEBHOOK_EVENT_NOT_FOUND',
  WEBHOOK_MERCHANT_REQUIRED = 'WEBHOOK_MERCHANT_REQUIRED',
}

export const MERCHANT_WEBHOOK_ERROR_KINDS: Record<MerchantWebhookErrorCode, ErrorKind> = {
  WEBHOOK_ENDPOINT_NOT_FOUND: 'not_found',
  WEBHOOK_ENDPOINT_LIMIT_REACHED: 'conflict',
  WEBHOOK_ENDPOINT_DISABLED: 'conflict',
  WEBHOOK_URL_INVALID: 'bad_input',
  WEBHOOK_URL_NOT_ALLOWED: 'bad_input',
  WEBHOOK_EVENT_NOT_FOUND: 'not_found',
  WEBHOOK_MERCHANT_REQUIRED: 'forbidden',
};

export class MerchantWebhookError extends DomainError<MerchantWebhookErrorCode> {
  constructor(code: MerchantWebhookErrorCode, message: string) {
    super(code, MERCHANT_WEBHOOK_ERROR_KINDS[code], message);
  }
}
