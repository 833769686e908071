import { registerEnumType } from '@nestjs/graphql';
import type { PaymentMethodKind } from '../../../gateways/payment-gateway';

export enum PaymentMethod {
  CARD = 'CARD',
  NETBANKING = 'NETBANKING',
  UPI = 'UPI',
  WALLET = 'WALLET',
  MOBILE_MONEY = 'MOBILE_MONEY',
  PAYPAL = 'PAYPAL',
  WALLET_BALANCE = 'WALLET_BALANCE',
}

export const toPaymentMethodKind = (method: PaymentMethod): PaymentMethodKind =>
  method.toLowerCase() as PaymentMethodKind;

registerEnumType(PaymentMethod, {
  name: 'PaymentMethod',
  description: 'How the customer pays; routing matches on it.',
  valuesMap: {
    CARD: {
      description: 'A card, through a hosted page or a gateway token (never a card number).',
    },
    NETBANKING: { description: 'Indian net banking (Zaakpay).' },
    UPI: { description: 'UPI (Zaakpay).' },
    WALLET: { description: 'A gateway wallet (Zaakpay).' },
    MOBILE_MONEY: { description: 'M-Pesa: a PIN prompt on the customer’s phone.' },
    PAYPAL: { description: 'A PayPal account, approved at PayPal.' },
    WALLET_BALANCE: {
      description:
        'The payer’s own Payrail wallet (give `walletId`): paid at once from its balance, or held until capture.',
    },
  },
});

export enum CaptureMode {
  AUTOMATIC = 'AUTOMATIC',
  MANUAL = 'MANUAL',
}

registerEnumType(CaptureMode, {
  name: 'CaptureMode',
  description: 'When money is collected.',
  valuesMap: {
    AUTOMATIC: { description: 'Capture as soon as the customer pays.' },
    MANUAL: { description: 'Authorize only; capture later with capturePayment.' },
  },
});

export enum NextActionType {
  REDIRECT = 'REDIRECT',
  FORM_POST = 'FORM_POST',
  STK_PUSH = 'STK_PUSH',
  APPROVAL = 'APPROVAL',
  THREE_DS = 'THREE_DS',
}

registerEnumType(NextActionType, {
  name: 'NextActionType',
  description: 'Kinds of customer action.',
  valuesMap: {
    REDIRECT: { description: 'Send the browser to url.' },
    FORM_POST: { description: 'Post formFields to url from the browser (auto-submitting form).' },
    STK_PUSH: { description: 'A PIN prompt was sent to the phone; wait for the result.' },
    APPROVAL: { description: 'Send the buyer to url to approve, then call confirmPayment.' },
    THREE_DS: { description: 'Send the browser to url for card authentication.' },
  },
});
