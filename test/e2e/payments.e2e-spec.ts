import { createUser, type TestUser } from '../factories/users.factory';
import {
  createOrder,
  createPayment,
  GATEWAY_CASES,
  getPayment,
  ORDER,
  REFUND_PAYMENT,
  type PaymentView,
} from '../factories/payments.factory';
import { Role } from '../../src/modules/users/role';
import {
  actAsCustomer,
  createPaymentsTestApp,
  eventually,
  type PaymentsTestApp,
} from '../utils/payments-test-app';

describe('payments through each gateway (e2e)', () => {
  let t: PaymentsTestApp;
  let merchant: TestUser;
  let customer: TestUser;

  beforeAll(async () => {
    t = await createPaymentsTestApp();
    merchant = await createUser(t, { role: Role.MERCHANT });
    customer = await createUser(t, { role: Role.CUSTOMER });
  });
  afterAll(async () => t?.close());

  const waitForStatus = (id: string, statuses: string[]) =>
    eventually(
      async () => {
        const payment = await getPayment(t, merchant, id);
        return statuses.includes(payment.status) ? payment : undefined;
      },
      { what: `payment ${id} in ${statuses.join('/')}` },
    );

  describe.each(Object.values(GATEWAY_CASES))('$code declines', (gateway) => {
    it('fails the payment when the customer or the bank declines, leaving the order payable', async () => {
      // Zaakpay's simulated bank declines amounts ending in 01 paisa; the others decline on the customer's choice.
      const amountMinor = gateway.code === 'zaakpay' ? 10_001 : gateway.amountMinor;
      const order = await createOrder(t, merchant, {
        currency: gateway.currency,
        amountMinor,
        customer,
      });
      const started = await createPayment(t, customer, {
        orderId: order.id,
        paymentMethod: gateway.paymentMethod,
        gatewayCode: gateway.code,
        ...gateway.decline,
      });
      let settled: PaymentView = started;
      if (started.status !== 'FAILED') {
        await actAsCustomer(
          t,
          gateway.code,
          started.nextAction ?? { type: 'STK_PUSH', url: null, formFields: null, phone: null },
          started.attempts[0]!.gatewayReference!,
          gateway.code === 'zaakpay' ? 'approve' : 'decline',
        );
        if (gateway.code === 'paypal') {
          await t.gql.request(
            `mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id status } }`,
            { input: { paymentId: started.id } },
            customer.accessToken,
          );
        }
        settled = await waitForStatus(started.id, ['FAILED', 'CANCELLED']);
      }
      expect(settled.capturedMinor).toBe(0);
      const order1 = await t.gql.ok<{ order: { status: string } }>(
        ORDER,
        { id: order.id },
        merchant.accessToken,
      );
      expect(order1.order.status).toBe('PENDING');
    });
  });

  describe.each(Object.values(GATEWAY_CASES))('$code', (gateway) => {
    it('takes a payment through the customer action to CAPTURED, pays the order and refunds it in two parts', async () => {
      const order = await createOrder(t, merchant, {
        currency: gateway.currency,
        amountMinor: gateway.amountMinor,
        customer,
      });
      const started = await createPayment(t, customer, {
        orderId: order.id,
        paymentMethod: gateway.paymentMethod,
        gatewayCode: gateway.code,
        ...gateway.approve,
      });
      expect({
        status: started.status,
        failure: started.failureMessage,
        gateway: started.gatewayCode,
      }).toMatchObject({ gateway: gateway.code });
      expect(started.attempts).toHaveLength(1);
      expect(started.attempts[0]!.routeReason).toBe('requested by the caller');
      let payment: PaymentView = started;
      if (started.status === 'REQUIRES_ACTION' || started.status === 'PROCESSING') {
        await actAsCustomer(
          t,
          gateway.code,
          started.nextAction ?? { type: 'STK_PUSH', url: null, formFields: null, phone: null },
          started.attempts[0]!.gatewayReference!,
          'approve',
        );
        if (gateway.code === 'paypal') {
          // PayPal: the buyer approved; the merchant's server (or checkout page) completes it.
          await t.gql.ok(
            `mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id status } }`,
            { input: { paymentId: started.id } },
            customer.accessToken,
          );
        }
        payment = await waitForStatus(started.id, ['CAPTURED']);
      }
      expect(payment.status).toBe('CAPTURED');
      expect(payment.capturedMinor).toBe(gateway.amountMinor);
      const order1 = await t.gql.ok<{ order: { status: string; paidAt: string | null } }>(
        ORDER,
        { id: order.id },
        merchant.accessToken,
      );
      expect(order1.order.status).toBe('PAID');

      const part = Math.floor(gateway.amountMinor / 4);
      const first = await t.gql.ok<{ refundPayment: { status: string; amountMinor: number } }>(
        REFUND_PAYMENT,
        { input: { paymentId: started.id, amountMinor: part, idempotencyKey: `r1-${started.id}` } },
        merchant.accessToken,
      );
      expect(first.refundPayment.amountMinor).toBe(part);
      const second = await t.gql.ok<{ refundPayment: { status: string } }>(
        REFUND_PAYMENT,
        { input: { paymentId: started.id, amountMinor: part, idempotencyKey: `r2-${started.id}` } },
        merchant.accessToken,
      );
      expect(['PENDING', 'SUCCEEDED']).toContain(second.refundPayment.status);
      const tooMuch = await t.gql.request(
        REFUND_PAYMENT,
        { input: { paymentId: started.id, amountMinor: gateway.amountMinor } },
        merchant.accessToken,
      );
      expect(tooMuch.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(tooMuch.errors?.[0]?.extensions?.reason).toBe('REFUND_AMOUNT_EXCEEDS_REFUNDABLE');

      const refunded = await eventually(
        async () => {
          const p = await getPayment(t, merchant, started.id);
          return p.refundedMinor === 2 * part ? p : undefined;
        },
        { what: 'both refunds to succeed' },
      );
      expect(refunded.status).toBe('PARTIALLY_REFUNDED');
      const order2 = await t.gql.ok<{ order: { status: string } }>(
        ORDER,
        { id: order.id },
        merchant.accessToken,
      );
      expect(order2.order.status).toBe('PARTIALLY_REFUNDED');
    });
  });
});
