import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('LedgerIntegrity', {
  description: 'The result of re-checking the whole ledger: hash chain, journals and balances.',
})
export class LedgerIntegrity {
  @Field({ description: 'True when every check passed.' })
  ok: boolean;

  @Field(() => Int, { description: 'Journal entries walked.' })
  journalsChecked: number;

  @Field(() => Int, { description: 'Accounts whose balance was re-added from their postings.' })
  accountsChecked: number;

  @Field(() => String, {
    nullable: true,
    description: 'Hash of the last entry; record it elsewhere to detect a rewritten history.',
  })
  chainHeadHash: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The first entry whose hash, link or sequence does not match (or the entry the chain head ' +
      'names, when entries are missing at the end); null when the chain is intact.',
  })
  brokenChainAt: string | null;

  @Field(() => [ID], {
    description: 'Entries whose postings do not sum to zero per currency (first 100).',
  })
  unbalancedJournals: string[];

  @Field(() => [ID], {
    description:
      'Accounts whose balance differs from the sum of their postings or whose row was altered (first 100).',
  })
  mismatchedAccounts: string[];
}
