import { DomainError, type ErrorKind } from '../../common/errors/domain-error';

export enum LedgerErrorCode {
  LEDGER_INVALID_JOURNAL = 'LEDGER_INVALID_JOURNAL',
  LEDGER_UNBALANCED = 'LEDGER_UNBALANCED',
  LEDGER_INSUFFICIENT_FUNDS = 'LEDGER_INSUFFICIENT_FUNDS',
  LEDGER_BALANCE_OUT_OF_RANGE = 'LEDGER_BALANCE_OUT_OF_RANGE',
  LEDGER_ACCOUNT_NOT_FOUND = 'LEDGER_ACCOUNT_NOT_FOUND',
}

export const LEDGER_ERROR_KINDS: Record<LedgerErrorCode, ErrorKind> = {
  LEDGER_INVALID_JOURNAL: 'bad_input',
  LEDGER_UNBALANCED: 'bad_input',
  LEDGER_INSUFFICIENT_FUNDS: 'conflict',
  LEDGER_BALANCE_OUT_OF_RANGE: 'conflict',
  LEDGER_ACCOUNT_NOT_FOUND: 'not_found',
};

export class LedgerError extends DomainError<LedgerErrorCode> {
  constructor(code: LedgerErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, LEDGER_ERROR_KINDS[code], message, details);
  }
}

/** True when a posting was refused because it would take an account below zero. */
export const isLedgerInsufficientFunds = (error: unknown): boolean =>
  error instanceof LedgerError && error.code === LedgerErrorCode.LEDGER_INSUFFICIENT_FUNDS;
