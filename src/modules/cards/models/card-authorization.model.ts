import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import { CardAuthorizationStatus, CardDeclineCode } from '../card-authorization-status';
import type { CardAuthorizationEntity } from '../entities/card-authorization.entity';

@ObjectType('CardAuthorization', {
  description: 'A card network’s request to spend with a card, and what we decided.',
})
export class CardAuthorization {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field({ description: 'The card network’s id for this authorization.' })
  networkAuthorizationId: string;

  @Field(() => ID, { description: 'The card used.' })
  cardId: string;

  @Field(() => SafeIntScalar, { description: 'Amount asked for, in minor units.' })
  amountMinor: number;

  @Field({ description: 'ISO 4217 currency code of the amount.' })
  currency: string;

  @Field(() => CardAuthorizationStatus, {
    description: 'Where it stands (EXPIRED once its hold has lapsed uncaptured).',
  })
  status: CardAuthorizationStatus;

  @Field(() => CardDeclineCode, { nullable: true, description: 'Why it was declined.' })
  declineCode: CardDeclineCode | null;

  @Field(() => String, {
    nullable: true,
    description: 'The code given to the network on approval.',
  })
  authorizationCode: string | null;

  @Field(() => ID, { nullable: true, description: 'The wallet hold reserving an approved amount.' })
  holdId: string | null;

  @Field(() => SafeIntScalar, {
    description: 'Amount captured, in minor units (0 unless CAPTURED).',
  })
  capturedMinor: number;

  @Field({ description: 'The merchant’s name as the network sent it.' })
  merchantName: string;

  @Field({ description: 'The merchant category code (ISO 18245).' })
  merchantCategoryCode: string;

  @Field({ description: 'The merchant’s country (ISO 3166-1 alpha-2).' })
  merchantCountry: string;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was captured, reversed or found expired.',
  })
  settledAt: Date | null;

  @Field({ description: 'When the network asked.' })
  createdAt: Date;
}

@ObjectType('CardAuthorizationConnection', { description: 'A page of card authorizations.' })
export class CardAuthorizationConnection extends Paginated(
  CardAuthorization,
  'CardAuthorization',
) {}

/** `status` is the effective one (an approval whose hold lapsed reads EXPIRED). */
export const toCardAuthorizationModel = (
  entity: CardAuthorizationEntity,
  status: CardAuthorizationStatus = entity.status,
): CardAuthorization => ({
  id: entity.id,
  networkAuthorizationId: entity.networkAuthorizationId,
  cardId: entity.cardId!,
  amountMinor: entity.amountMinor,
  currency: entity.currency,
  status,
  declineCode: entity.declineCode,
  authorizationCode: entity.authorizationCode,
  holdId: entity.holdId,
  capturedMinor: entity.capturedMinor,
  merchantName: entity.merchantName,
  merchantCategoryCode: entity.merchantCategoryCode,
  merchantCountry: entity.merchantCountry,
  settledAt: entity.settledAt,
  createdAt: entity.createdAt,
});
