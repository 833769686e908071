import { DomainError, type ErrorKind } from '../../common/errors/domain-error';

export enum AuditErrorCode {
  AUDIT_INVALID_RANGE = 'AUDIT_INVALID_RANGE',
}

export const AUDIT_ERROR_KINDS: Record<AuditErrorCode, ErrorKind> = {
  AUDIT_INVALID_RANGE: 'bad_input',
};

export class AuditError extends DomainError<AuditErrorCode> {
  constructor(code: AuditErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, AUDIT_ERROR_KINDS[code], message, details);
  }
}
