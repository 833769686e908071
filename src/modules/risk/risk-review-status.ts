import { registerEnumType } from '@nestjs/graphql';

export enum RiskReviewStatus {
  OPEN = 'OPEN',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

registerEnumType(RiskReviewStatus, {
  name: 'RiskReviewStatus',
  description: 'Where a held payment’s manual review stands.',
  valuesMap: {
    OPEN: { description: 'Waiting for staff; the payment is held.' },
    APPROVED: { description: 'Staff let the payment go ahead.' },
    REJECTED: { description: 'Staff refused the payment.' },
  },
});

/** Allowed status changes: a review is resolved once and for all. */
export const RISK_REVIEW_TRANSITIONS: Record<RiskReviewStatus, readonly RiskReviewStatus[]> = {
  [RiskReviewStatus.OPEN]: [RiskReviewStatus.APPROVED, RiskReviewStatus.REJECTED],
  [RiskReviewStatus.APPROVED]: [],
  [RiskReviewStatus.REJECTED]: [],
};

export const canTransitionReview = (from: RiskReviewStatus, to: RiskReviewStatus): boolean =>
  RISK_REVIEW_TRANSITIONS[from].includes(to);
