import { createHash } from 'node:crypto';

/** The previous hash of the very first entry. */
export const GENESIS_HASH = '0'.repeat(64);

// Bumped only together with a migration that re-hashes or marks the old chain.
const HASH_FORMAT = 'payrail.ledger.v1';

export interface HashedPosting {
  readonly lineNumber: number;
  readonly accountId: string;
  readonly currency: string;
  readonly amountMinor: number;
}

export interface HashedEntry {
  readonly sequence: number;
  readonly id: string;
  readonly kind: string;
  readonly reference: string;
  readonly description: string | null;
  readonly createdAt: Date;
  readonly postings: readonly HashedPosting[];
}

/**
 * One fixed text for an entry and its postings: a JSON array (fixed field order, postings by line,
 * integers as decimal strings, the time as ISO-8601 UTC with milliseconds, as DATETIME(3) keeps it).
 */
export function canonicalEntry(entry: HashedEntry): string {
  const postings = [...entry.postings]
    .sort((a, b) => a.lineNumber - b.lineNumber)
    .map((posting) => [
      String(posting.lineNumber),
      posting.accountId,
      posting.currency,
      String(posting.amountMinor),
    ]);
  return JSON.stringify([
    HASH_FORMAT,
    String(entry.sequence),
    entry.id,
    entry.kind,
    entry.reference,
    entry.description,
    entry.createdAt.toISOString(),
    postings,
  ]);
}

/** sha256(previousHash || canonicalEntry(entry)), hex: each entry seals the one before it. */
export function entryHash(previousHash: string, entry: HashedEntry): string {
  return createHash('sha256').update(previousHash).update(canonicalEntry(entry)).digest('hex');
}
