import { createHash } from 'node:crypto';
import type { AccountRef, LedgerAccountKind, NormalSide } from './ledger.types';

/** Which side each kind's balance normally sits on (assets debit, liabilities and income credit). */
export const NORMAL_SIDE: Record<LedgerAccountKind, NormalSide> = {
  gateway_clearing: 'debit',
  merchant_balance: 'credit',
  customer_funds: 'credit',
  user_wallet: 'credit',
  fees: 'credit',
  fx: 'either',
  suspense: 'either',
};

/** Whether a new account of this kind may go below zero on its normal side. */
export const DEFAULT_ALLOW_NEGATIVE: Record<LedgerAccountKind, boolean> = {
  gateway_clearing: true,
  merchant_balance: true,
  customer_funds: true,
  user_wallet: false,
  fees: true,
  fx: true,
  suspense: true,
};

/**
 * A debit-positive balance seen from the account's normal side: +9710 on a merchant_balance
 * means we owe the merchant 97.10. Either-side kinds stay debit-positive.
 */
export function normalBalance(kind: LedgerAccountKind, debitBalanceMinor: number): number {
  // `|| 0` keeps a zero credit balance from reading as -0.
  return NORMAL_SIDE[kind] === 'credit' ? -debitBalanceMinor || 0 : debitBalanceMinor;
}

// Fixed namespace for the name-based account ids below; never change it.
const ACCOUNT_ID_NAMESPACE = Buffer.from('e5562344e56b4167ab5b96483ae50cd2', 'hex');

/**
 * The account's id, derived from (kind, ownerId, currency) as an RFC 4122 version-5 UUID. Known
 * before the row exists, so a journal can create and lock its accounts in id order in one go.
 */
export function accountIdFor(account: AccountRef): string {
  const name = JSON.stringify([account.kind, account.ownerId, account.currency]);
  const bytes = createHash('sha1').update(ACCOUNT_ID_NAMESPACE).update(name, 'utf8').digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
