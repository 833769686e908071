import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { LedgerAccountEntity } from '../entities/ledger-account.entity';
import { NORMAL_SIDE, normalBalance } from '../ledger-accounts';
import type { LedgerAccountKind, NormalSide } from '../ledger.types';
import { LedgerAccountKindEnum, NormalSideEnum } from './ledger-enums';

@ObjectType('LedgerAccount', { description: 'One account of the double-entry books.' })
export class LedgerAccount {
  @Field(() => ID, { description: 'Stable identifier (derived from kind, owner and currency).' })
  id: string;

  @Field(() => LedgerAccountKindEnum, { description: 'What the account stands for.' })
  kind: LedgerAccountKind;

  @Field({ description: 'Whose account: a merchant id, user id, gateway code or "platform".' })
  ownerId: string;

  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field(() => SafeIntScalar, {
    description:
      'Balance in minor units on the account’s normal side: +9710 on a merchant balance means ' +
      'we owe the merchant 97.10. Either-side accounts are shown debit-positive.',
  })
  balanceMinor: number;

  @Field(() => SafeIntScalar, {
    description: 'Sum of all postings in minor units, debits positive and credits negative.',
  })
  debitBalanceMinor: number;

  @Field(() => NormalSideEnum, { description: 'The side on which the balance normally sits.' })
  normalSide: NormalSide;

  @Field({ description: 'Whether the balance may go below zero on its normal side.' })
  allowNegative: boolean;

  @Field({ description: 'When the account was first used.' })
  createdAt: Date;

  @Field({ description: 'When the balance last changed.' })
  updatedAt: Date;
}

@ObjectType('LedgerAccountConnection', { description: 'A page of ledger accounts.' })
export class LedgerAccountConnection extends Paginated(LedgerAccount, 'LedgerAccount') {}

export const toLedgerAccountModel = (entity: LedgerAccountEntity): LedgerAccount => ({
  id: entity.id,
  kind: entity.kind,
  ownerId: entity.ownerId,
  currency: entity.currency,
  balanceMinor: normalBalance(entity.kind, entity.balanceMinor),
  debitBalanceMinor: entity.balanceMinor,
  normalSide: NORMAL_SIDE[entity.kind],
  allowNegative: entity.allowNegative,
  createdAt: entity.createdAt,
  updatedAt: entity.updatedAt,
});
