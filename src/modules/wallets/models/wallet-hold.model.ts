import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { WalletHoldEntity } from '../entities/wallet-hold.entity';
import { WalletHoldStatus } from '../wallet-hold-status';

@ObjectType('WalletHold', {
  description: 'Money reserved in a wallet for a later payment; not available to spend.',
})
export class WalletHold {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, { description: 'The wallet the money is held in.' })
  walletId: string;

  @Field(() => SafeIntScalar, { description: 'Amount reserved, in minor units.' })
  amountMinor: number;

  @Field(() => SafeIntScalar, {
    description: 'Amount paid out by the capture, in minor units (0 unless CAPTURED).',
  })
  capturedAmountMinor: number;

  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field(() => WalletHoldStatus, { description: 'Where the hold stands.' })
  status: WalletHoldStatus;

  @Field(() => String, { nullable: true, description: 'Why the money is held.' })
  reason: string | null;

  @Field({ description: 'The reference of whoever placed the hold (unique per wallet).' })
  reference: string;

  @Field({ description: 'After this time the hold no longer reserves money and is released.' })
  expiresAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was captured, released or expired.',
  })
  settledAt: Date | null;

  @Field({ description: 'When it was placed.' })
  createdAt: Date;
}

@ObjectType('WalletHoldConnection', { description: 'A page of wallet holds.' })
export class WalletHoldConnection extends Paginated(WalletHold, 'WalletHold') {}

export const toWalletHoldModel = (entity: WalletHoldEntity): WalletHold => ({
  id: entity.id,
  walletId: entity.walletId,
  amountMinor: entity.amountMinor,
  capturedAmountMinor: entity.capturedAmountMinor,
  currency: entity.currency,
  status: entity.status,
  reason: entity.reason,
  reference: entity.reference,
  expiresAt: entity.expiresAt,
  settledAt: entity.settledAt,
  createdAt: entity.createdAt,
});
