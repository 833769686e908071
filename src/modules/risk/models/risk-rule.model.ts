import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { RiskRuleEntity } from '../entities/risk-rule.entity';
import { RiskAction, RiskDimension, RiskRuleType } from '../risk-rule-kinds';

@ObjectType('RiskRule', {
  description:
    'A check run on every payment attempt. VELOCITY rules fill dimension, maxCount and windowSeconds; AMOUNT_LIMIT rules fill currency and the amounts.',
})
export class RiskRule {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The merchant the rule applies to; null for every merchant.',
  })
  merchantId: string | null;

  @Field(() => RiskRuleType, { description: 'The kind of check.' })
  type: RiskRuleType;

  @Field(() => RiskDimension, {
    nullable: true,
    description: 'VELOCITY: what attempts are counted by.',
  })
  dimension: RiskDimension | null;

  @Field(() => Int, {
    nullable: true,
    description: 'VELOCITY: attempts allowed within the window; the next one triggers.',
  })
  maxCount: number | null;

  @Field(() => Int, { nullable: true, description: 'VELOCITY: the sliding window, in seconds.' })
  windowSeconds: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'AMOUNT_LIMIT: the ISO 4217 currency the limit applies to.',
  })
  currency: string | null;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'AMOUNT_LIMIT: the largest allowed amount, in minor units.',
  })
  maxAmountMinor: number | null;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'AMOUNT_LIMIT: the smallest allowed amount, in minor units; null for none.',
  })
  minAmountMinor: number | null;

  @Field(() => RiskAction, { description: 'What happens to a payment that triggers the rule.' })
  action: RiskAction;

  @Field({ description: 'Whether the rule is checked.' })
  enabled: boolean;

  @Field({ description: 'Why the rule exists.' })
  description: string;

  @Field({ description: 'When the rule was created.' })
  createdAt: Date;

  @Field({ description: 'When the rule last changed.' })
  updatedAt: Date;
}

@ObjectType('RiskRuleConnection', { description: 'A page of risk rules, newest first.' })
export class RiskRuleConnection extends Paginated(RiskRule, 'RiskRule') {}

export const toRiskRuleModel = (entity: RiskRuleEntity): RiskRule => ({
  id: entity.id,
  merchantId: entity.merchantId,
  type: entity.type,
  dimension: entity.dimension,
  maxCount: entity.maxCount,
  windowSeconds: entity.windowSeconds,
  currency: entity.currency,
  maxAmountMinor: entity.maxAmountMinor,
  minAmountMinor: entity.minAmountMinor,
  action: entity.action,
  enabled: entity.enabled,
  description: entity.description,
  createdAt: entity.createdAt,
  updatedAt: entity.updatedAt,
});
