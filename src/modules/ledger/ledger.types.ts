// NOTE FOR THE LEDGER ENGINEER: "$COMMON" in your task stands for the rules in /tmp/helper-common.md. Read that file now (DBNAME, NS, test commands, no npm install, no git). Delete this line when you edit the file.
import type { EntityManager } from 'typeorm';

/**
 * Kinds of ledger account. Assets (debit-normal): gateway_clearing. Liabilities and income
 * (credit-normal): merchant_balance, customer_funds, user_wallet, fees. fx and suspense may go either way.
 */
export type LedgerAccountKind =
  | 'gateway_clearing'
  | 'merchant_balance'
  | 'customer_funds'
  | 'user_wallet'
  | 'fees'
  | 'fx'
  | 'suspense';

/** Names one account: created on first use. ownerId is a merchant id, user id, gateway code or 'platform'. */
export interface AccountRef {
  readonly kind: LedgerAccountKind;
  readonly ownerId: string;
  readonly currency: string;
}

/** Signed integer minor units: positive debits the account, negative credits it. */
export interface PostingInput {
  readonly account: AccountRef;
  readonly amountMinor: number;
}

export interface JournalInput {
  /** What happened, e.g. 'payment.capture', 'payment.refund', 'payment.fee'. */
  readonly kind: string;
  /** Unique with kind: posting the same (kind, reference) twice posts nothing the second time. */
  readonly reference: string;
  readonly description?: string;
  /** At least two; they must sum to zero per currency. */
  readonly postings: readonly PostingInput[];
}

export interface PostedJournal {
  readonly entryId: string;
  /** False when (kind, reference) was already posted: nothing changed. */
  readonly created: boolean;
}

/** What other modules may ask of the ledger. */
export interface LedgerPosting {
  /** Posts inside the caller's transaction, so the journal commits or rolls back with the change it records. */
  post(manager: EntityManager, journal: JournalInput): Promise<PostedJournal>;
}
