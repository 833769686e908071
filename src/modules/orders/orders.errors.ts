import { DomainError, type ErrorKind } from '../../common/errors/domain-error';

export enum OrderErrorCode {
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  ORDER_INVALID_AMOUNT = 'ORDER_INVALID_AMOUNT',
  ORDER_UNSUPPORTED_CURRENCY = 'ORDER_UNSUPPORTED_CURRENCY',
  ORDER_REFERENCE_TAKEN = 'ORDER_REFERENCE_TAKEN',
  ORDER_CUSTOMER_NOT_FOUND = 'ORDER_CUSTOMER_NOT_FOUND',
  ORDER_NOT_PAYABLE = 'ORDER_NOT_PAYABLE',
  ORDER_INVALID_STATUS_CHANGE = 'ORDER_INVALID_STATUS_CHANGE',
  ORDER_MERCHANT_REQUIRED = 'ORDER_MERCHANT_REQUIRED',
}

export const ORDER_ERROR_KINDS: Record<OrderErrorCode, ErrorKind> = {
  ORDER_NOT_FOUND: 'not_found',
  ORDER_INVALID_AMOUNT: 'bad_input',
  ORDER_UNSUPPORTED_CURRENCY: 'bad_input',
  ORDER_REFERENCE_TAKEN: 'conflict',
  ORDER_CUSTOMER_NOT_FOUND: 'bad_input',
  ORDER_NOT_PAYABLE: 'conflict',
  ORDER_INVALID_STATUS_CHANGE: 'conflict',
  ORDER_MERCHANT_REQUIRED: 'forbidden',
};

export class OrderError extends DomainError<OrderErrorCode> {
  constructor(code: OrderErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, ORDER_ERROR_KINDS[code], message, details);
  }
}
