import { registerEnumType } from '@nestjs/graphql';
import type { LedgerAccountKind, NormalSide } from '../ledger.types';

// GraphQL names in upper case; the values are the ledger's own lower-case kinds.
export const LedgerAccountKindEnum = {
  GATEWAY_CLEARING: 'gateway_clearing',
  MERCHANT_BALANCE: 'merchant_balance',
  CUSTOMER_FUNDS: 'customer_funds',
  USER_WALLET: 'user_wallet',
  FEES: 'fees',
  FX: 'fx',
  SUSPENSE: 'suspense',
} as const satisfies Record<string, LedgerAccountKind>;

registerEnumType(LedgerAccountKindEnum, {
  name: 'LedgerAccountKind',
  description: 'What a ledger account stands for.',
  valuesMap: {
    GATEWAY_CLEARING: { description: 'Money a gateway holds for us (asset, debit-normal).' },
    MERCHANT_BALANCE: { description: 'What we owe a merchant (liability, credit-normal).' },
    CUSTOMER_FUNDS: { description: 'Money held for customers (liability, credit-normal).' },
    USER_WALLET: {
      description: 'A user’s wallet (liability, credit-normal, never below zero).',
    },
    FEES: { description: 'Fees the platform earned (income, credit-normal).' },
    FX: { description: 'Currency conversion positions (either side).' },
    SUSPENSE: { description: 'Amounts awaiting investigation (either side).' },
  },
});

export const NormalSideEnum = {
  DEBIT: 'debit',
  CREDIT: 'credit',
  EITHER: 'either',
} as const satisfies Record<string, NormalSide>;

registerEnumType(NormalSideEnum, {
  name: 'LedgerNormalSide',
  description: 'The side on which an account’s balance normally sits.',
  valuesMap: {
    DEBIT: { description: 'Debits increase the balance (assets).' },
    CREDIT: { description: 'Credits increase the balance (liabilities and income).' },
    EITHER: { description: 'May sit on either side; shown debit-positive.' },
  },
});
