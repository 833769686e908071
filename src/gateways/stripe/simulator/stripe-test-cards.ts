// Stripe test-mode cards (docs.stripe.com/testing) and what the simulator does with each.

import type { StripeDisputeReason, StripeDisputeStatus } from '../stripe.types';

export interface StripeTestDecline {
  readonly code: string;
  readonly declineCode?: string;
  readonly message: string;
}

export interface StripeTestCard {
  readonly number: string;
  readonly brand: string;
  /** Declined at confirmation, before any authentication. */
  readonly decline?: StripeTestDecline;
  /** Confirmation stops at requires_action until the 3DS page is completed. */
  readonly threeDs?: boolean;
  /** Declined after a completed 3DS challenge. */
  readonly declineAfterAuthentication?: StripeTestDecline;
  /** A dispute opens right after the payment succeeds. */
  readonly dispute?: { readonly reason: StripeDisputeReason; readonly status: StripeDisputeStatus };
  /** Refunds of this card settle asynchronously. */
  readonly refund?: 'pending_then_succeeds' | 'succeeds_then_fails';
}

const declined = (declineCode: string, message = 'Your card was declined.'): StripeTestDecline => ({
  code: 'card_declined',
  declineCode,
  message,
});

const CARDS: readonly StripeTestCard[] = [
  { number: '4242424242424242', brand: 'visa' },
  { number: '5555555555554444', brand: 'mastercard' },
  // 3DS not supported: proceeds without authentication.
  { number: '378282246310005', brand: 'amex' },
  { number: '4000000000000077', brand: 'visa' },
  { number: '4000000000000002', brand: 'visa', decline: declined('generic_decline') },
  {
    number: '4000000000009995',
    brand: 'visa',
    decline: declined('insufficient_funds', 'Your card has insufficient funds.'),
  },
  { number: '4000000000009987', brand: 'visa', decline: declined('lost_card') },
  { number: '4000000000009979', brand: 'visa', decline: declined('stolen_card') },
  {
    number: '4000000000000069',
    brand: 'visa',
    decline: {
      code: 'expired_card',
      declineCode: 'expired_card',
      message: 'Your card has expired.',
    },
  },
  {
    number: '4000000000000127',
    brand: 'visa',
    decline: {
      code: 'incorrect_cvc',
      declineCode: 'incorrect_cvc',
      message: "Your card's security code is incorrect.",
    },
  },
  {
    number: '4000000000000119',
    brand: 'visa',
    decline: {
      code: 'processing_error',
      declineCode: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
    },
  },
  {
    number: '4242424242424241',
    brand: 'visa',
    decline: { code: 'incorrect_number', message: 'Your card number is incorrect.' },
  },
  { number: '4000000000006975', brand: 'visa', decline: declined('card_velocity_exceeded') },
  { number: '4000000000000341', brand: 'visa', decline: declined('generic_decline') },
  { number: '4100000000000019', brand: 'visa', decline: declined('fraudulent') },
  { number: '4000000000003220', brand: 'visa', threeDs: true },
  { number: '4000002760003184', brand: 'visa', threeDs: true },
  { number: '4000002500003155', brand: 'visa', threeDs: true },
  {
    number: '4000008400001629',
    brand: 'visa',
    threeDs: true,
    declineAfterAuthentication: declined('generic_decline'),
  },
  {
    number: '4000008260003178',
    brand: 'visa',
    threeDs: true,
    declineAfterAuthentication: declined('insufficient_funds', 'Your card has insufficient funds.'),
  },
  { number: '4000008400001280', brand: 'visa', decline: declined('processing_error') },
  {
    number: '4000000000000259',
    brand: 'visa',
    dispute: { reason: 'fraudulent', status: 'needs_response' },
  },
  {
    number: '4000000000002685',
    brand: 'visa',
    dispute: { reason: 'product_not_received', status: 'needs_response' },
  },
  {
    number: '4000000000001976',
    brand: 'visa',
    dispute: { reason: 'general', status: 'warning_needs_response' },
  },
  {
    number: '4000000404000079',
    brand: 'visa',
    dispute: { reason: 'fraudulent', status: 'needs_response' },
  },
  { number: '4000000000007726', brand: 'visa', refund: 'pending_then_succeeds' },
  { number: '4000000000005126', brand: 'visa', refund: 'succeeds_then_fails' },
];

export const STRIPE_TEST_CARDS: ReadonlyMap<string, StripeTestCard> = new Map(
  CARDS.map((card) => [card.number, card]),
);

/** Stripe's ready-made test PaymentMethod ids -> card number. */
export const STRIPE_TEST_PAYMENT_METHODS: Readonly<Record<string, string>> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_amex: '378282246310005',
  pm_card_bypassPending: '4000000000000077',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedLostCard: '4000000000009987',
  pm_card_visa_chargeDeclinedLostCard: '4000000000009987',
  pm_card_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_visa_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_chargeDeclinedVelocityLimitExceeded: '4000000000006975',
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: '4000000000006975',
  pm_card_chargeCustomerFail: '4000000000000341',
  pm_card_radarBlock: '4100000000000019',
  pm_card_threeDSecure2Required: '4000000000003220',
  pm_card_authenticationRequired: '4000002760003184',
  pm_card_authenticationRequiredOnSetup: '4000002500003155',
  pm_card_authenticationRequiredChargeDeclined: '4000008400001629',
  pm_card_authenticationRequiredChargeDeclinedInsufficientFunds: '4000008260003178',
  pm_card_authenticationRequiredProcessingError: '4000008400001280',
  pm_card_createDispute: '4000000000000259',
  pm_card_createDisputeProductNotReceived: '4000000000002685',
  pm_card_createDisputeInquiry: '4000000000001976',
  pm_card_createMultipleDisputes: '4000000404000079',
  pm_card_pendingRefund: '4000000000007726',
  pm_card_refundFail: '4000000000005126',
};

/** Any other well-formed number behaves like 4242 (test mode accepts any Luhn-valid card). */
export function findTestCard(number: string): StripeTestCard {
  return STRIPE_TEST_CARDS.get(number) ?? { number, brand: 'visa' };
}
