import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { VirtualCardEntity } from '../entities/virtual-card.entity';
import { VirtualCardStatus } from '../virtual-card-status';

@ObjectType('VirtualCard', {
  description: 'A virtual card spending from a wallet. Only the last four digits are ever shown.',
})
export class VirtualCard {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, { description: 'The wallet the card spends from.' })
  walletId: string;

  @Field(() => ID, { description: 'The card holder’s (wallet owner’s) user id.' })
  userId: string;

  @Field({ description: 'ISO 4217 currency code: the wallet’s, the only one the card accepts.' })
  currency: string;

  @Field({ description: 'Card network brand, e.g. VISA.' })
  brand: string;

  @Field({ description: 'The last four digits of the card number.' })
  last4: string;

  @Field(() => Int, { description: 'Expiry month, 1 to 12.' })
  expMonth: number;

  @Field(() => Int, {
    description: 'Expiry year, four digits; the card works to the end of the month.',
  })
  expYear: number;

  @Field(() => VirtualCardStatus, { description: 'Whether the card can be used.' })
  status: VirtualCardStatus;

  @Field({ description: 'True when staff froze the card: only an admin may unfreeze it.' })
  frozenByStaff: boolean;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Most one authorization may ask for, in minor units; null means no limit.',
  })
  perTransactionLimitMinor: number | null;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Most the card may authorize per UTC day, in minor units; null means no limit.',
  })
  dailyLimitMinor: number | null;

  @Field(() => String, { nullable: true, description: 'The holder’s name for the card.' })
  label: string | null;

  @Field({ description: 'When the card was issued.' })
  createdAt: Date;

  @Field({ description: 'When its status or limits last changed.' })
  updatedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the card was closed.' })
  closedAt: Date | null;
}

@ObjectType('VirtualCardConnection', { description: 'A page of virtual cards.' })
export class VirtualCardConnection extends Paginated(VirtualCard, 'VirtualCard') {}

@ObjectType('IssuedVirtualCard', {
  description:
    'A newly issued card with its full number and CVV. They are shown this once: store them now.',
})
export class IssuedVirtualCard {
  @Field(() => VirtualCard, { description: 'The card.' })
  card: VirtualCard;

  @Field({ description: 'The full 16-digit card number (shown only here).' })
  number: string;

  @Field({ description: 'The 3-digit security code (never stored; shown only here).' })
  cvv: string;

  @Field(() => Int, { description: 'Expiry month, 1 to 12.' })
  expMonth: number;

  @Field(() => Int, { description: 'Expiry year, four digits.' })
  expYear: number;
}

export const toVirtualCardModel = (entity: VirtualCardEntity): VirtualCard => ({
  id: entity.id,
  walletId: entity.walletId,
  userId: entity.userId,
  currency: entity.currency,
  brand: entity.brand,
  last4: entity.last4,
  expMonth: entity.expMonth,
  expYear: entity.expYear,
  status: entity.status,
  frozenByStaff: entity.frozenByStaff,
  perTransactionLimitMinor: entity.perTransactionLimitMinor,
  dailyLimitMinor: entity.dailyLimitMinor,
  label: entity.label,
  createdAt: entity.createdAt,
  updatedAt: entity.updatedAt,
  closedAt: entity.closedAt,
});
