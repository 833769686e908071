import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { StatementLine } from '../wallets.service';

@ObjectType('WalletStatementLine', {
  description: 'One movement of a wallet’s money (a ledger posting), with the balance after it.',
})
export class WalletStatementLine {
  @Field(() => ID, { description: 'The ledger posting’s id.' })
  id: string;

  @Field(() => ID, { description: 'The journal entry the posting belongs to.' })
  journalEntryId: string;

  @Field({
    description: 'What happened: wallet.transfer, wallet.hold.capture, wallet.adjustment...',
  })
  kind: string;

  @Field({ description: 'The journal’s reference (a transfer, hold or adjustment id).' })
  reference: string;

  @Field(() => String, { nullable: true, description: 'The journal’s description.' })
  description: string | null;

  @Field(() => SafeIntScalar, {
    description: 'Minor units: positive is money into the wallet, negative money out.',
  })
  amountMinor: number;

  @Field(() => SafeIntScalar, { description: 'The wallet’s balance right after this line.' })
  balanceAfterMinor: number;

  @Field({ description: 'Who or what is on the other side, in words.' })
  counterparty: string;

  @Field({ description: 'When it was posted.' })
  createdAt: Date;
}

@ObjectType('WalletStatementLineConnection', { description: 'A page of a wallet statement.' })
export class WalletStatementConnection extends Paginated(
  WalletStatementLine,
  'WalletStatementLine',
) {}

export const toWalletStatementLineModel = (line: StatementLine): WalletStatementLine => ({
  id: line.postingId,
  journalEntryId: line.journalEntryId,
  kind: line.kind,
  reference: line.reference,
  description: line.description,
  amountMinor: line.amountMinor,
  balanceAfterMinor: line.balanceAfterMinor,
  counterparty: line.counterparty,
  createdAt: line.createdAt,
});
