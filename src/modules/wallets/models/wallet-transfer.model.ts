import { Field, ID, ObjectType } from '@nestjs/graphql';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { WalletTransferEntity } from '../entities/wallet-transfer.entity';

@ObjectType('WalletTransfer', { description: 'Money sent from one wallet to another.' })
export class WalletTransfer {
  @Field(() => ID, { description: 'Stable identifier (also the ledger journal’s reference).' })
  id: string;

  @Field(() => ID, { description: 'The sending wallet.' })
  fromWalletId: string;

  @Field(() => ID, { description: 'The receiving wallet.' })
  toWalletId: string;

  @Field(() => SafeIntScalar, { description: 'Amount moved, in minor units.' })
  amountMinor: number;

  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field(() => String, { nullable: true, description: 'The sender’s note.' })
  note: string | null;

  @Field({ description: 'When the money moved.' })
  createdAt: Date;
}

export const toWalletTransferModel = (entity: WalletTransferEntity): WalletTransfer => ({
  id: entity.id,
  fromWalletId: entity.fromWalletId,
  toWalletId: entity.toWalletId,
  amountMinor: entity.amountMinor,
  currency: entity.currency,
  note: entity.note,
  createdAt: entity.createdAt,
});
