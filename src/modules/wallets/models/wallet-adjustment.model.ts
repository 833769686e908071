import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { WalletAdjustmentEntity } from '../entities/wallet-adjustment.entity';
import { WalletAdjustmentStatus } from '../wallet-adjustment-status';

@ObjectType('WalletAdjustment', {
  description: 'A manual wallet credit or debit, posted only after a second admin approves it.',
})
export class WalletAdjustment {
  @Field(() => ID, { description: 'Stable identifier (also the ledger journal’s reference).' })
  id: string;

  @Field(() => ID, { description: 'The wallet to adjust.' })
  walletId: string;

  @Field(() => SafeIntScalar, {
    description: 'Signed minor units: positive credits the wallet, negative debits it.',
  })
  amountMinor: number;

  @Field({ description: 'ISO 4217 currency code (the wallet’s).' })
  currency: string;

  @Field({ description: 'Why the adjustment is needed.' })
  reason: string;

  @Field(() => WalletAdjustmentStatus, { description: 'Where the approval stands.' })
  status: WalletAdjustmentStatus;

  @Field(() => ID, { description: 'The admin who proposed it.' })
  proposedBy: string;

  @Field(() => ID, { nullable: true, description: 'The admin who approved or rejected it.' })
  decidedBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was approved or rejected.' })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The note given with a rejection.' })
  decisionNote: string | null;

  @Field({ description: 'When it was proposed.' })
  createdAt: Date;
}

@ObjectType('WalletAdjustmentConnection', { description: 'A page of wallet adjustments.' })
export class WalletAdjustmentConnection extends Paginated(WalletAdjustment, 'WalletAdjustment') {}

export const toWalletAdjustmentModel = (entity: WalletAdjustmentEntity): WalletAdjustment => ({
  id: entity.id,
  walletId: entity.walletId,
  amountMinor: entity.amountMinor,
  currency: entity.currency,
  reason: entity.reason,
  status: entity.status,
  proposedBy: entity.proposedBy,
  decidedBy: entity.decidedBy,
  decidedAt: entity.decidedAt,
  decisionNote: entity.decisionNote,
  createdAt: entity.createdAt,
});
