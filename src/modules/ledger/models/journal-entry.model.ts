import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { JournalEntryEntity } from '../entities/journal-entry.entity';
import type { LedgerPostingEntity } from '../entities/ledger-posting.entity';
import { LedgerAccount, toLedgerAccountModel } from './ledger-account.model';

@ObjectType('LedgerPosting', { description: 'One line of a journal entry.' })
export class LedgerPosting {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => Int, { description: 'Position within the journal entry, from 1.' })
  lineNumber: number;

  @Field(() => LedgerAccount, { description: 'The account posted to.' })
  account: LedgerAccount;

  @Field(() => SafeIntScalar, {
    description: 'Signed amount in minor units: positive debits the account, negative credits it.',
  })
  amountMinor: number;

  @Field({ description: 'ISO 4217 currency code (the account’s).' })
  currency: string;
}

@ObjectType('JournalEntry', {
  description: 'A balanced, immutable set of postings, sealed into the ledger’s hash chain.',
})
export class JournalEntry {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field({ description: 'What happened, e.g. "payment.capture".' })
  kind: string;

  @Field({ description: 'The business reference; unique together with kind.' })
  reference: string;

  @Field(() => String, { nullable: true, description: 'Free text for people.' })
  description: string | null;

  @Field(() => SafeIntScalar, { description: 'Position in the hash chain, from 1, without gaps.' })
  sequence: number;

  @Field({ description: 'Hash of the previous entry (zeros for the first).' })
  previousHash: string;

  @Field({ description: 'SHA-256 over the previous hash and this entry with its postings (hex).' })
  hash: string;

  @Field(() => [LedgerPosting], { description: 'The postings, by line number.' })
  postings: LedgerPosting[];

  @Field({ description: 'When the entry was written.' })
  createdAt: Date;
}

@ObjectType('JournalEntryConnection', { description: 'A page of journal entries.' })
export class JournalEntryConnection extends Paginated(JournalEntry, 'JournalEntry') {}

/** Postings must carry their account (joined). */
export const toJournalEntryModel = (
  entry: JournalEntryEntity,
  postings: readonly LedgerPostingEntity[],
): JournalEntry => ({
  id: entry.id,
  kind: entry.kind,
  reference: entry.reference,
  description: entry.description,
  sequence: entry.sequence,
  previousHash: entry.previousHash,
  hash: entry.hash,
  createdAt: entry.createdAt,
  postings: postings.map((posting) => ({
    id: posting.id,
    lineNumber: posting.lineNumber,
    account: toLedgerAccountModel(posting.account!),
    amountMinor: posting.amountMinor,
    currency: posting.currency,
  })),
});
