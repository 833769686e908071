import type { Money } from '../../common/money/money';

export interface RiskAssessmentInput {
  readonly paymentId: string;
  readonly merchantId: string;
  readonly customerId?: string;
  readonly amount: Money;
  readonly paymentMethod: string;
  readonly ip?: string;
  readonly phone?: string;
  readonly email?: string;
  /** A gateway-issued token or fingerprint for the card; never a card number. */
  readonly cardFingerprint?: string;
}

export type RiskDecision =
  | { readonly action: 'allow' }
  | { readonly action: 'block'; readonly reasons: readonly string[] }
  | { readonly action: 'review'; readonly reasons: readonly string[] };
