import { Field, ID, ObjectType } from '@nestjs/graphql';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { LedgerAccountEntity } from '../entities/ledger-account.entity';
import { normalBalance } from '../ledger-accounts';

@ObjectType('MerchantBalance', {
  description: 'What the platform owes a merchant in one currency.',
})
export class MerchantBalance {
  @Field(() => ID, { description: 'The ledger account behind this balance.' })
  accountId: string;

  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field(() => SafeIntScalar, {
    description: 'Amount owed to the merchant, in minor units (negative if the merchant owes us).',
  })
  balanceMinor: number;

  @Field({ description: 'When the balance last changed.' })
  updatedAt: Date;
}

export const toMerchantBalanceModel = (account: LedgerAccountEntity): MerchantBalance => ({
  accountId: account.id,
  currency: account.currency,
  balanceMinor: normalBalance(account.kind, account.balanceMinor),
  updatedAt: account.updatedAt,
});
