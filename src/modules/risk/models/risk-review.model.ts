import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import type { RiskReviewEntity } from '../entities/risk-review.entity';
import { RiskReviewStatus } from '../risk-review-status';

@ObjectType('RiskReview', { description: 'A payment held for manual review by risk rules.' })
export class RiskReview {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, { description: 'The held payment.' })
  paymentId: string;

  @Field(() => ID, { description: 'The payment’s merchant.' })
  merchantId: string;

  @Field(() => [String], {
    description: 'Reason codes of the assessment, e.g. `VELOCITY_IP_EXCEEDED`.',
  })
  reasons: string[];

  @Field(() => RiskReviewStatus, { description: 'Where the review stands.' })
  status: RiskReviewStatus;

  @Field(() => String, { nullable: true, description: 'Who resolved it (actor id).' })
  resolvedBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was resolved.' })
  resolvedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The resolver’s note.' })
  note: string | null;

  @Field({ description: 'When the payment was held.' })
  createdAt: Date;
}

@ObjectType('RiskReviewConnection', { description: 'A page of risk reviews, newest first.' })
export class RiskReviewConnection extends Paginated(RiskReview, 'RiskReview') {}

export const toRiskReviewModel = (entity: RiskReviewEntity): RiskReview => ({
  id: entity.id,
  paymentId: entity.paymentId,
  merchantId: entity.merchantId,
  reasons: entity.reasons,
  status: entity.status,
  resolvedBy: entity.resolvedBy,
  resolvedAt: entity.resolvedAt,
  note: entity.note,
  createdAt: entity.createdAt,
});
