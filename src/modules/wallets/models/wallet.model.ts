import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { WalletEntity } from '../entities/wallet.entity';
import { WalletStatus } from '../wallet-status';
import type { WalletBalances } from '../wallets.service';

@ObjectType('Wallet', { description: 'A user’s wallet in one currency.' })
export class Wallet {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, { description: 'The owner’s user id.' })
  userId: string;

  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field(() => WalletStatus, { description: 'Whether money may move in and out.' })
  status: WalletStatus;

  @Field(() => SafeIntScalar, {
    description: 'Money in the wallet (its ledger balance), in minor units, holds included.',
  })
  balanceMinor: number;

  @Field(() => SafeIntScalar, {
    description: 'Minor units reserved by active, unexpired holds.',
  })
  heldMinor: number;

  @Field(() => SafeIntScalar, {
    description: 'What can be spent now: balance minus holds, in minor units.',
  })
  availableMinor: number;

  @Field(() => SafeIntScalar, {
    description: 'Most the wallet may send per UTC day, in minor units.',
  })
  dailyTransferLimitMinor: number;

  @Field(() => SafeIntScalar, { description: 'Most a single transfer may send, in minor units.' })
  maxTransferMinor: number;

  @Field({ description: 'When the wallet was opened.' })
  createdAt: Date;

  @Field({ description: 'When its status or limits last changed.' })
  updatedAt: Date;
}

@ObjectType('WalletConnection', { description: 'A page of wallets.' })
export class WalletConnection extends Paginated(Wallet, 'Wallet') {}

export const toWalletModel = (entity: WalletEntity, balances: WalletBalances): Wallet => ({
  id: entity.id,
  userId: entity.userId,
  currency: entity.currency,
  status: entity.status,
  balanceMinor: balances.balanceMinor,
  heldMinor: balances.heldMinor,
  availableMinor: balances.availableMinor,
  dailyTransferLimitMinor: entity.dailyTransferLimitMinor,
  maxTransferMinor: entity.maxTransferMinor,
  createdAt: entity.createdAt,
  updatedAt: entity.updatedAt,
});
