import { isCurrencyCode } from '../../common/money/money';
import { LedgerError, LedgerErrorCode } from './ledger.errors';
import { LEDGER_ACCOUNT_KINDS, type JournalInput, type PostingInput } from './ledger.types';

export const MAX_POSTINGS_PER_JOURNAL = 100;
const JOURNAL_KIND_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
// Printable text only: these values are hashed and shown back to staff.
const hasControlCharacter = (value: string): boolean =>
  [...value].some((character) => {
    const code = character.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });

export interface ValidatedJournal {
  readonly kind: string;
  readonly reference: string;
  readonly description: string | null;
  readonly postings: readonly PostingInput[];
}

const invalid = (message: string): LedgerError =>
  new LedgerError(LedgerErrorCode.LEDGER_INVALID_JOURNAL, message);

function checkText(value: unknown, what: string, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.trim() !== value) {
    throw invalid(`${what} must be a non-empty string without surrounding spaces`);
  }
  if (value.length > maxLength) throw invalid(`${what} is longer than ${maxLength} characters`);
  if (hasControlCharacter(value)) throw invalid(`${what} contains control characters`);
  return value;
}

function checkPosting(posting: PostingInput, index: number): void {
  const where = `posting ${index + 1}`;
  const account = posting?.account;
  if (!account || !(LEDGER_ACCOUNT_KINDS as readonly string[]).includes(account.kind)) {
    throw invalid(`${where}: account kind must be one of ${LEDGER_ACCOUNT_KINDS.join(', ')}`);
  }
  checkText(account.ownerId, `${where}: account ownerId`, 64);
  if (typeof account.currency !== 'string' || !isCurrencyCode(account.currency)) {
    throw invalid(
      `${where}: currency must be three upper-case letters (ISO 4217), got "${String(account.currency)}"`,
    );
  }
  if (!Number.isSafeInteger(posting.amountMinor) || posting.amountMinor === 0) {
    throw invalid(
      `${where}: amountMinor must be a non-zero safe integer, got ${String(posting.amountMinor)}`,
    );
  }
}

/** Debits minus credits per currency, exactly (BigInt: the sum of safe integers need not be safe). */
export function imbalanceByCurrency(
  lines: readonly { currency: string; amountMinor: number }[],
): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const { currency, amountMinor } of lines) {
    sums.set(currency, (sums.get(currency) ?? 0n) + BigInt(amountMinor));
  }
  for (const [currency, sum] of sums) if (sum === 0n) sums.delete(currency);
  return sums;
}

/** Checks a journal's shape and that it balances; throws a LedgerError naming the first problem. */
export function validateJournal(journal: JournalInput): ValidatedJournal {
  const kind = checkText(journal?.kind, 'kind', 64);
  if (!JOURNAL_KIND_PATTERN.test(kind)) {
    throw invalid('kind may hold only letters, digits and . _ : - (e.g. "payment.capture")');
  }
  const reference = checkText(journal.reference, 'reference', 200);
  const description =
    journal.description === undefined || journal.description === ''
      ? null
      : checkText(journal.description, 'description', 500);
  const postings = journal.postings;
  if (!Array.isArray(postings) || postings.length < 2) {
    throw invalid('a journal needs at least two postings');
  }
  if (postings.length > MAX_POSTINGS_PER_JOURNAL) {
    throw invalid(`a journal may have at most ${MAX_POSTINGS_PER_JOURNAL} postings`);
  }
  postings.forEach(checkPosting);

  const lines = postings.map((posting) => ({
    currency: posting.account.currency,
    amountMinor: posting.amountMinor,
  }));
  const imbalances = [...imbalanceByCurrency(lines)].map(([currency, sum]) => ({
    currency,
    imbalanceMinor: sum.toString(),
  }));
  if (imbalances.length > 0) {
    const summary = imbalances
      .map(({ currency, imbalanceMinor }) =>
        imbalanceMinor.startsWith('-')
          ? `${currency} credits exceed debits by ${imbalanceMinor.slice(1)}`
          : `${currency} debits exceed credits by ${imbalanceMinor}`,
      )
      .join('; ');
    throw new LedgerError(
      LedgerErrorCode.LEDGER_UNBALANCED,
      `Journal ${kind} ${reference} does not balance: ${summary} (minor units)`,
      { imbalances },
    );
  }
  return { kind, reference, description, postings };
}
