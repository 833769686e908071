import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';

@InputType({ description: 'Issues a virtual card spending from one of your wallets.' })
export class IssueVirtualCardInput {
  @Field(() => ID, {
    description: 'Your wallet the card spends from (its currency is the card’s).',
  })
  @IsUUID()
  walletId: string;

  @Field({ nullable: true, description: 'A name for the card, e.g. "Subscriptions".' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Most one authorization may ask for, in minor units; omitted means no limit.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  perTransactionLimitMinor?: number;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Most the card may authorize per UTC day, in minor units; omitted means no limit.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  dailyLimitMinor?: number;
}

@InputType({
  description:
    'New spending limits for a card: an omitted field stays as it is, an explicit null removes that limit.',
})
export class SetVirtualCardLimitsInput {
  @Field(() => ID, { description: 'The card.' })
  @IsUUID()
  cardId: string;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Most one authorization may ask for, in minor units; null removes the limit.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  perTransactionLimitMinor?: number | null;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Most the card may authorize per UTC day, in minor units; null removes the limit.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  dailyLimitMinor?: number | null;
}

@ArgsType()
export class VirtualCardsArgs extends PageArgs {
  @Field(() => ID, { description: 'The wallet whose cards to list.' })
  @IsUUID()
  walletId: string;
}

@ArgsType()
export class CardAuthorizationsArgs extends PageArgs {
  @Field(() => ID, { description: 'The card whose authorizations to list.' })
  @IsUUID()
  cardId: string;
}
