import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import { MAX_WINDOW_SECONDS } from '../risk-evaluation';
import { RiskReviewStatus } from '../risk-review-status';
import { RiskAction, RiskDimension, RiskRuleType } from '../risk-rule-kinds';

const CURRENCY = /^[A-Za-z]{3}$/;

@InputType({
  description:
    'A new risk rule. VELOCITY needs dimension, maxCount and windowSeconds; AMOUNT_LIMIT needs currency and maxAmountMinor.',
})
export class CreateRiskRuleInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The merchant the rule applies to; omit for every merchant.',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;

  @Field(() => RiskRuleType, { description: 'The kind of check.' })
  @IsEnum(RiskRuleType)
  type: RiskRuleType;

  @Field(() => RiskDimension, { nullable: true, description: 'VELOCITY: what to count by.' })
  @IsOptional()
  @IsEnum(RiskDimension)
  dimension?: RiskDimension;

  @Field(() => Int, {
    nullable: true,
    description: 'VELOCITY: attempts allowed within the window (at least 1).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxCount?: number;

  @Field(() => Int, {
    nullable: true,
    description: `VELOCITY: the sliding window in seconds (1 to ${MAX_WINDOW_SECONDS}).`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_WINDOW_SECONDS)
  windowSeconds?: number;

  @Field({ nullable: true, description: 'AMOUNT_LIMIT: ISO 4217 currency code, e.g. KES.' })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be a three-letter ISO 4217 code' })
  currency?: string;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'AMOUNT_LIMIT: the largest allowed amount, in minor units.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  maxAmountMinor?: number;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'AMOUNT_LIMIT: the smallest allowed amount, in minor units.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  minAmountMinor?: number;

  @Field(() => RiskAction, { description: 'What happens to a payment that triggers the rule.' })
  @IsEnum(RiskAction)
  action: RiskAction;

  @Field({ nullable: true, defaultValue: true, description: 'Whether the rule is checked.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Field({ description: 'Why the rule exists (shown to staff).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  description: string;
}

@InputType({
  description:
    'Changes to a risk rule; omitted fields keep their value. Its type and merchant cannot change.',
})
export class UpdateRiskRuleInput {
  @Field(() => ID, { description: 'The rule to change.' })
  @IsUUID()
  id: string;

  @Field(() => RiskDimension, { nullable: true, description: 'VELOCITY: what to count by.' })
  @IsOptional()
  @IsEnum(RiskDimension)
  dimension?: RiskDimension;

  @Field(() => Int, {
    nullable: true,
    description: 'VELOCITY: attempts allowed within the window.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxCount?: number;

  @Field(() => Int, { nullable: true, description: 'VELOCITY: the sliding window in seconds.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_WINDOW_SECONDS)
  windowSeconds?: number;

  @Field({ nullable: true, description: 'AMOUNT_LIMIT: ISO 4217 currency code.' })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be a three-letter ISO 4217 code' })
  currency?: string;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'AMOUNT_LIMIT: the largest allowed amount, in minor units.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  maxAmountMinor?: number;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'AMOUNT_LIMIT: the smallest allowed amount, in minor units; null removes it.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  minAmountMinor?: number | null;

  @Field(() => RiskAction, { nullable: true, description: 'What a triggering payment gets.' })
  @IsOptional()
  @IsEnum(RiskAction)
  action?: RiskAction;

  @Field({ nullable: true, description: 'Whether the rule is checked.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Field({ nullable: true, description: 'Why the rule exists.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  description?: string;
}

@InputType({
  description: 'A value to refuse in every payment of a merchant, or of all merchants.',
})
export class AddBlockListEntryInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The merchant the entry applies to; omit for every merchant.',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;

  @Field(() => RiskDimension, { description: 'What kind of value it is.' })
  @IsEnum(RiskDimension)
  dimension: RiskDimension;

  @Field({
    description:
      'The value (email, phone, IP, customer id or card fingerprint). It is normalised and hashed; only a hint is kept.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  value: string;

  @Field({ description: 'Why the value is blocked.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

@ArgsType()
export class RiskRulesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only this merchant’s own rules.' })
  @IsOptional()
  @IsUUID()
  merchantId?: string;

  @Field(() => RiskRuleType, { nullable: true, description: 'Only rules of this type.' })
  @IsOptional()
  @IsEnum(RiskRuleType)
  type?: RiskRuleType;
}

@ArgsType()
export class BlockListEntriesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only this merchant’s own entries.' })
  @IsOptional()
  @IsUUID()
  merchantId?: string;

  @Field(() => RiskDimension, { nullable: true, description: 'Only entries of this dimension.' })
  @IsOptional()
  @IsEnum(RiskDimension)
  dimension?: RiskDimension;
}

@ArgsType()
export class RiskReviewsArgs extends PageArgs {
  @Field(() => RiskReviewStatus, { nullable: true, description: 'Only reviews in this status.' })
  @IsOptional()
  @IsEnum(RiskReviewStatus)
  status?: RiskReviewStatus;

  @Field(() => ID, { nullable: true, description: 'Only this merchant’s reviews.' })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}
