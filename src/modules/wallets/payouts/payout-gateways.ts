import { registerEnumType } from '@nestjs/graphql';
import type { Money } from '../../../common/money/money';
import { toMsisdn, toWholeShillings } from '../../../gateways/mpesa/mpesa.mapper';
import type { PayoutRequest } from '../../../gateways/payment-gateway';
import { isPaypalAmount } from '../../../gateways/paypal/paypal.mapper';
import { WalletError, WalletErrorCode } from '../wallets.errors';

/** The gateways a wallet can withdraw through; the values are the gateway codes. */
export enum PayoutGateway {
  MPESA = 'mpesa',
  PAYPAL = 'paypal',
}

registerEnumType(PayoutGateway, {
  name: 'WalletPayoutGateway',
  description: 'Where a withdrawal is paid out.',
  valuesMap: {
    MPESA: { description: 'M-Pesa B2C to a Kenyan phone number, in whole Kenyan shillings.' },
    PAYPAL: { description: 'PayPal Payouts to the PayPal account of an email address.' },
  },
});

export const isPayoutGateway = (code: string): code is PayoutGateway =>
  (Object.values(PayoutGateway) as string[]).includes(code);

export interface PayoutRecipientInput {
  readonly phone?: string | null;
  readonly email?: string | null;
}

const invalid = (field: string, message: string): WalletError =>
  new WalletError(WalletErrorCode.WALLET_INVALID_INPUT, `${field}: ${message}`, {
    fields: { [field]: [message] },
  });

/** Runs a gateway mapper's own check and reports its refusal as bad input on one field. */
function checked<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw invalid(field, (error as Error).message);
  }
}

/**
 * What each gateway would refuse (`invalid_request`), checked before any money is held, using the
 * gateway mappers' own rules. Returns the recipient as stored: the 12-digit MSISDN or the email.
 */
const PREFLIGHT: Record<PayoutGateway, (amount: Money, recipient: PayoutRecipientInput) => string> =
  {
    [PayoutGateway.MPESA]: (amount, recipient) => {
      if (recipient.email) throw invalid('email', 'M-Pesa pays to a phone number; leave email out');
      if (!recipient.phone) throw invalid('phone', 'is required for an M-Pesa withdrawal');
      checked('amountMinor', () => toWholeShillings(amount, 'payout amount'));
      return checked('phone', () => toMsisdn(recipient.phone!));
    },
    [PayoutGateway.PAYPAL]: (amount, recipient) => {
      if (recipient.phone)
        throw invalid('phone', 'PayPal pays to an email address; leave phone out');
      if (!recipient.email) throw invalid('email', 'is required for a PayPal withdrawal');
      if (!isPaypalAmount(amount)) {
        throw invalid('amountMinor', `PayPal takes whole ${amount.currency} only`);
      }
      return recipient.email.trim().toLowerCase();
    },
  };

export function preflightPayout(
  gateway: PayoutGateway,
  amount: Money,
  recipient: PayoutRecipientInput,
): string {
  return PREFLIGHT[gateway](amount, recipient);
}

/** The stored recipient in the shape the gateway's payout request takes. */
export function payoutRecipient(
  gatewayCode: string,
  recipient: string,
): PayoutRequest['recipient'] {
  return gatewayCode === PayoutGateway.MPESA ? { phone: recipient } : { email: recipient };
}

/** For logs and the audit trail: enough to recognise the payee, not enough to reuse it. */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient[0]}***${recipient.slice(at)}`;
  if (recipient.length <= 6) return '***';
  return `${recipient.slice(0, 4)}${'*'.repeat(recipient.length - 7)}${recipient.slice(-3)}`;
}
