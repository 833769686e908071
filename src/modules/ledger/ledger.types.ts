import type { EntityManager } from 'typeorm';

/** Every kind of ledger account; adding one means adding it to the tables in ledger-accounts.ts. */
export const LEDGER_ACCOUNT_KINDS = [
  'gateway_clearing',
  'merchant_balance',
  'customer_funds',
  'user_wallet',
  'fees',
  'fx',
  'suspense',
] as const;

/**
 * Kinds of ledger account. Assets (debit-normal): gateway_clearing. Liabilities and income
 * (credit-normal): merchant_balance, customer_funds, user_wallet, fees. fx and suspense may go either way.
 */
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

/** Which sign an account's balance normally has: debit-normal accounts grow with debits. */
export type NormalSide = 'debit' | 'credit' | 'either';

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

/** The outcome of walking the whole ledger (`LedgerService.verify`). */
export interface LedgerIntegrityReport {
  /** True when nothing below was found. */
  readonly ok: boolean;
  readonly journalsChecked: number;
  readonly accountsChecked: number;
  /** Hash of the last entry, to record elsewhere: rewriting history would change it. */
  readonly chainHeadHash: string | null;
  /** The first entry whose hash, link or sequence does not match (or the head's entry if the chain ends early). */
  readonly brokenChainAt: string | null;
  /** Entries whose postings do not sum to zero per currency (at most the first 100). */
  readonly unbalancedJournals: readonly string[];
  /** Accounts whose balance differs from the sum of their postings, or whose row was altered (at most 100). */
  readonly mismatchedAccounts: readonly string[];
}
