import { registerEnumType } from '@nestjs/graphql';

export enum RiskRuleType {
  VELOCITY = 'VELOCITY',
  AMOUNT_LIMIT = 'AMOUNT_LIMIT',
}

/** What a velocity rule counts by, and what a block-list entry matches. */
export enum RiskDimension {
  CUSTOMER = 'CUSTOMER',
  PHONE = 'PHONE',
  EMAIL = 'EMAIL',
  CARD_FINGERPRINT = 'CARD_FINGERPRINT',
  IP = 'IP',
}

/** What a triggered rule asks for. BLOCK beats REVIEW. */
export enum RiskAction {
  BLOCK = 'BLOCK',
  REVIEW = 'REVIEW',
}

export const RISK_DIMENSIONS: readonly RiskDimension[] = Object.values(RiskDimension);

registerEnumType(RiskRuleType, {
  name: 'RiskRuleType',
  description: 'The kind of check a risk rule makes.',
  valuesMap: {
    VELOCITY: {
      description: 'Too many payment attempts sharing one value (IP, email...) within a window.',
    },
    AMOUNT_LIMIT: { description: 'A payment amount outside a range, for one currency.' },
  },
});

registerEnumType(RiskDimension, {
  name: 'RiskDimension',
  description: 'A property of a payment attempt that rules count by and block lists match.',
  valuesMap: {
    CUSTOMER: { description: 'The paying customer’s user id.' },
    PHONE: { description: 'The payer’s phone number (digits only).' },
    EMAIL: { description: 'The payer’s email address (lower-cased).' },
    CARD_FINGERPRINT: { description: 'The gateway’s fingerprint of the card (never the number).' },
    IP: { description: 'The IP address the payment came from.' },
  },
});

registerEnumType(RiskAction, {
  name: 'RiskAction',
  description: 'What happens to a payment that triggers a rule.',
  valuesMap: {
    BLOCK: { description: 'Refuse the payment before any charge.' },
    REVIEW: { description: 'Hold the payment until staff approve or reject it.' },
  },
});
