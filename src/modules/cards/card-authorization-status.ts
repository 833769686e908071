import { registerEnumType } from '@nestjs/graphql';
import { WalletHoldStatus } from '../wallets/wallet-hold-status';

export enum CardAuthorizationStatus {
  APPROVED = 'APPROVED',
  DECLINED = 'DECLINED',
  CAPTURED = 'CAPTURED',
  REVERSED = 'REVERSED',
  EXPIRED = 'EXPIRED',
}

registerEnumType(CardAuthorizationStatus, {
  name: 'CardAuthorizationStatus',
  description: 'Where a card authorization from the network stands.',
  valuesMap: {
    APPROVED: { description: 'Approved: the amount is held in the wallet until captured.' },
    DECLINED: { description: 'Declined: nothing was held (see the decline code).' },
    CAPTURED: {
      description: 'Captured (fully or partly): the money was paid out; the rest was released.',
    },
    REVERSED: { description: 'Reversed by the network: the hold was released.' },
    EXPIRED: {
      description: 'Never captured: the hold expired and the money is available again.',
    },
  },
});

/** An approval is settled exactly once; a decline never changes. */
export const CARD_AUTHORIZATION_TRANSITIONS: Record<
  CardAuthorizationStatus,
  readonly CardAuthorizationStatus[]
> = {
  [CardAuthorizationStatus.APPROVED]: [
    CardAuthorizationStatus.CAPTURED,
    CardAuthorizationStatus.REVERSED,
    CardAuthorizationStatus.EXPIRED,
  ],
  [CardAuthorizationStatus.DECLINED]: [],
  [CardAuthorizationStatus.CAPTURED]: [],
  [CardAuthorizationStatus.REVERSED]: [],
  [CardAuthorizationStatus.EXPIRED]: [],
};

export const canTransitionAuthorization = (
  from: CardAuthorizationStatus,
  to: CardAuthorizationStatus,
): boolean => CARD_AUTHORIZATION_TRANSITIONS[from].includes(to);

/**
 * Guards every status write: a change the table does not allow is a bug (callers refuse such
 * requests with their own typed errors first), so it fails loudly instead of being written.
 */
export function assertAuthorizationTransition(
  from: CardAuthorizationStatus,
  to: CardAuthorizationStatus,
): void {
  if (!canTransitionAuthorization(from, to)) {
    throw new Error(`A ${from} card authorization cannot become ${to}`);
  }
}

/** Why an authorization was declined; the wire value the network receives. */
export enum CardDeclineCode {
  CARD_NOT_FOUND = 'card_not_found',
  CARD_FROZEN = 'card_frozen',
  CARD_CLOSED = 'card_closed',
  EXPIRED_CARD = 'expired_card',
  INVALID_EXPIRY_DATE = 'invalid_expiry_date',
  INCORRECT_CVC = 'incorrect_cvc',
  CURRENCY_NOT_SUPPORTED = 'currency_not_supported',
  LIMIT_EXCEEDED = 'limit_exceeded',
  INSUFFICIENT_FUNDS = 'insufficient_funds',
  CVV_ATTEMPTS_EXCEEDED = 'cvv_attempts_exceeded',
}

/** What the network (and the card's owner) reads for each decline. */
export const CARD_DECLINE_MESSAGES: Record<CardDeclineCode, string> = {
  [CardDeclineCode.CARD_NOT_FOUND]: 'No card with this number',
  [CardDeclineCode.CARD_FROZEN]: 'The card or its wallet is frozen',
  [CardDeclineCode.CARD_CLOSED]: 'The card is closed',
  [CardDeclineCode.EXPIRED_CARD]: 'The card has expired',
  [CardDeclineCode.INVALID_EXPIRY_DATE]: 'The expiry date does not match the card',
  [CardDeclineCode.INCORRECT_CVC]: 'The security code is incorrect',
  [CardDeclineCode.CURRENCY_NOT_SUPPORTED]: 'The card does not support this currency',
  [CardDeclineCode.LIMIT_EXCEEDED]: 'The amount is over the card’s limit',
  [CardDeclineCode.INSUFFICIENT_FUNDS]: 'The wallet has insufficient funds',
  [CardDeclineCode.CVV_ATTEMPTS_EXCEEDED]:
    'Too many wrong security codes in the last 24 hours; the card declines until they age out',
};

registerEnumType(CardDeclineCode, {
  name: 'CardDeclineCode',
  description: 'Why a card authorization was declined.',
  valuesMap: {
    CARD_NOT_FOUND: { description: CARD_DECLINE_MESSAGES[CardDeclineCode.CARD_NOT_FOUND] },
    CARD_FROZEN: { description: CARD_DECLINE_MESSAGES[CardDeclineCode.CARD_FROZEN] },
    CARD_CLOSED: { description: CARD_DECLINE_MESSAGES[CardDeclineCode.CARD_CLOSED] },
    EXPIRED_CARD: { description: CARD_DECLINE_MESSAGES[CardDeclineCode.EXPIRED_CARD] },
    INVALID_EXPIRY_DATE: {
      description: CARD_DECLINE_MESSAGES[CardDeclineCode.INVALID_EXPIRY_DATE],
    },
    INCORRECT_CVC: { description: CARD_DECLINE_MESSAGES[CardDeclineCode.INCORRECT_CVC] },
    CURRENCY_NOT_SUPPORTED: {
      description: CARD_DECLINE_MESSAGES[CardDeclineCode.CURRENCY_NOT_SUPPORTED],
    },
    LIMIT_EXCEEDED: { description: CARD_DECLINE_MESSAGES[CardDeclineCode.LIMIT_EXCEEDED] },
    INSUFFICIENT_FUNDS: { description: CARD_DECLINE_MESSAGES[CardDeclineCode.INSUFFICIENT_FUNDS] },
    CVV_ATTEMPTS_EXCEEDED: {
      description: CARD_DECLINE_MESSAGES[CardDeclineCode.CVV_ATTEMPTS_EXCEEDED],
    },
  },
});

/** What an authorization's wallet hold looks like, for deciding whether it lapsed. */
export interface HoldState {
  readonly status: WalletHoldStatus;
  readonly expiresAt: Date;
}

/**
 * The status to show: the stored one, except that an approval whose hold is gone reads as what
 * happened to the hold: EXPIRED when it lapsed (even before the sweep marked it), REVERSED when
 * staff released it. Capture and reversal persist this the next time they touch the row.
 */
export function effectiveAuthorizationStatus(
  status: CardAuthorizationStatus,
  hold: HoldState | null | undefined,
  now = new Date(),
): CardAuthorizationStatus {
  if (status !== CardAuthorizationStatus.APPROVED || !hold) return status;
  if (hold.status === WalletHoldStatus.RELEASED) return CardAuthorizationStatus.REVERSED;
  if (hold.status === WalletHoldStatus.EXPIRED) return CardAuthorizationStatus.EXPIRED;
  if (hold.status === WalletHoldStatus.ACTIVE && hold.expiresAt.getTime() <= now.getTime()) {
    return CardAuthorizationStatus.EXPIRED;
  }
  return status;
}
