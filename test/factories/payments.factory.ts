import type { TestUser } from './users.factory';
import type { NextActionView, PaymentsTestApp } from '../utils/payments-test-app';

export const PAYMENT_FIELDS = `
  id orderId merchantId customerId status amountMinor currency captureMode paymentMethod gatewayCode
  authorizedMinor capturedMinor refundedMinor failureCode failureMessage needsReview reviewReason
  nextAction { type url formFields { name value } phone message }
  attempts { id gatewayCode status routeReason gatewayReference declineCode message }
  refunds { id amountMinor status }
`;

export const CREATE_ORDER = `mutation($input: CreateOrderInput!) {
  createOrder(input: $input) { id status totalMinor currency customerId merchantId lineItems { name quantity totalMinor } }
}`;

export const CREATE_PAYMENT = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_FIELDS} } }`;
export const CONFIRM_PAYMENT = `mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { ${PAYMENT_FIELDS} } }`;
export const CAPTURE_PAYMENT = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { ${PAYMENT_FIELDS} } }`;
export const CANCEL_PAYMENT = `mutation($input: CancelPaymentInput!) { cancelPayment(input: $input) { ${PAYMENT_FIELDS} } }`;
export const REFUND_PAYMENT = `mutation($input: RefundPaymentInput!) {
  refundPayment(input: $input) { id paymentId amountMinor currency status failureCode failureMessage }
}`;
export const PAYMENT = `query($id: ID!) { payment(id: $id) { ${PAYMENT_FIELDS} } }`;
export const ORDER = `query($id: ID!) { order(id: $id) { id status totalMinor paidAt payments { id status } } }`;

export interface PaymentView {
  id: string;
  orderId: string;
  status: string;
  amountMinor: number;
  currency: string;
  gatewayCode: string | null;
  authorizedMinor: number;
  capturedMinor: number;
  refundedMinor: number;
  failureCode: string | null;
  failureMessage: string | null;
  needsReview: boolean;
  nextAction: NextActionView | null;
  attempts: {
    id: string;
    gatewayCode: string;
    status: string;
    routeReason: string;
    gatewayReference: string | null;
    declineCode: string | null;
  }[];
  refunds: { id: string; amountMinor: number; status: string }[];
}

/** A gateway, a currency and method it takes, and the customer input that approves there. */
export interface GatewayCase {
  code: 'zaakpay' | 'mpesa' | 'paypal' | 'stripe';
  currency: string;
  paymentMethod: string;
  amountMinor: number;
  approve: Record<string, unknown>;
  decline: Record<string, unknown>;
}

export const GATEWAY_CASES: Record<GatewayCase['code'], GatewayCase> = {
  zaakpay: {
    code: 'zaakpay',
    currency: 'INR',
    paymentMethod: 'CARD',
    amountMinor: 10_000,
    approve: { customer: { email: 'buyer@example.com', name: 'Asha Rao', phone: '919876543210' } },
    decline: { customer: { email: 'buyer@example.com', name: 'Asha Rao', phone: '919876543210' } },
  },
  mpesa: {
    code: 'mpesa',
    currency: 'KES',
    paymentMethod: 'MOBILE_MONEY',
    amountMinor: 10_000,
    approve: { customer: { phone: '254708374149' } },
    decline: { customer: { phone: '254708374149' } },
  },
  paypal: {
    code: 'paypal',
    currency: 'USD',
    paymentMethod: 'PAYPAL',
    amountMinor: 2_000,
    approve: {},
    decline: {},
  },
  stripe: {
    code: 'stripe',
    currency: 'USD',
    paymentMethod: 'CARD',
    amountMinor: 2_000,
    approve: { paymentMethodToken: 'pm_card_threeDSecure2Required' },
    decline: { paymentMethodToken: 'pm_card_chargeDeclined' },
  },
};

export async function createOrder(
  t: PaymentsTestApp,
  merchant: TestUser,
  overrides: {
    currency?: string;
    amountMinor?: number;
    customer?: TestUser;
    expiresInSeconds?: number;
  } = {},
): Promise<{ id: string; totalMinor: number }> {
  const data = await t.gql.ok<{ createOrder: { id: string; totalMinor: number } }>(
    CREATE_ORDER,
    {
      input: {
        currency: overrides.currency ?? 'USD',
        lineItems: [
          { name: 'Widget', quantity: 1, unitAmountMinor: overrides.amountMinor ?? 2_000 },
        ],
        ...(overrides.customer ? { customerId: overrides.customer.id } : {}),
        ...(overrides.expiresInSeconds ? { expiresInSeconds: overrides.expiresInSeconds } : {}),
      },
    },
    merchant.accessToken,
  );
  return data.createOrder;
}

export async function createPayment(
  t: PaymentsTestApp,
  payer: TestUser,
  input: Record<string, unknown>,
): Promise<PaymentView> {
  const data = await t.gql.ok<{ createPayment: PaymentView }>(
    CREATE_PAYMENT,
    { input: { returnUrl: 'https://shop.example/return', ...input } },
    payer.accessToken,
  );
  return data.createPayment;
}

export async function getPayment(
  t: PaymentsTestApp,
  viewer: TestUser,
  id: string,
): Promise<PaymentView> {
  return (await t.gql.ok<{ payment: PaymentView }>(PAYMENT, { id }, viewer.accessToken)).payment;
}
