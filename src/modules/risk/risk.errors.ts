import { DomainError, type ErrorKind } from '../../common/errors/domain-error';

export enum RiskErrorCode {
  RISK_RULE_NOT_FOUND = 'RISK_RULE_NOT_FOUND',
  RISK_MERCHANT_NOT_FOUND = 'RISK_MERCHANT_NOT_FOUND',
  RISK_BLOCK_LIST_ENTRY_NOT_FOUND = 'RISK_BLOCK_LIST_ENTRY_NOT_FOUND',
  RISK_BLOCK_LIST_DUPLICATE = 'RISK_BLOCK_LIST_DUPLICATE',
  RISK_REVIEW_NOT_FOUND = 'RISK_REVIEW_NOT_FOUND',
  RISK_REVIEW_ALREADY_RESOLVED = 'RISK_REVIEW_ALREADY_RESOLVED',
}

export const RISK_ERROR_KINDS: Record<RiskErrorCode, ErrorKind> = {
  RISK_RULE_NOT_FOUND: 'not_found',
  RISK_MERCHANT_NOT_FOUND: 'not_found',
  RISK_BLOCK_LIST_ENTRY_NOT_FOUND: 'not_found',
  RISK_BLOCK_LIST_DUPLICATE: 'conflict',
  RISK_REVIEW_NOT_FOUND: 'not_found',
  RISK_REVIEW_ALREADY_RESOLVED: 'conflict',
};

export class RiskError extends DomainError<RiskErrorCode> {
  constructor(code: RiskErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, RISK_ERROR_KINDS[code], message, details);
  }
}
