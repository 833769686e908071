import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';
import { LEDGER_ACCOUNT_KINDS, type LedgerAccountKind } from '../ledger.types';
import { LedgerAccountKindEnum } from '../models/ledger-enums';

@ArgsType()
export class LedgerAccountsArgs extends PageArgs {
  @Field(() => LedgerAccountKindEnum, {
    nullable: true,
    description: 'Only accounts of this kind.',
  })
  @IsOptional()
  @IsIn(LEDGER_ACCOUNT_KINDS)
  kind?: LedgerAccountKind;

  @Field({ nullable: true, description: 'Only accounts of this owner (merchant id, user id...).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ownerId?: string;

  @Field({ nullable: true, description: 'Only accounts in this ISO 4217 currency.' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be three upper-case letters' })
  currency?: string;
}

@ArgsType()
export class JournalEntriesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only entries that post to this account.' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @Field({ nullable: true, description: 'Only entries of this kind, e.g. "payment.capture".' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  kind?: string;

  @Field({ nullable: true, description: 'Only entries with this reference.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}
