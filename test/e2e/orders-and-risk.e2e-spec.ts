import { DataSource } from 'typeorm';
import { Role } from '../../src/modules/users/role';
import {
  CREATE_ORDER,
  CREATE_PAYMENT,
  createOrder,
  createPayment,
  getPayment,
  ORDER,
  type PaymentView,
} from '../factories/payments.factory';
import { createUser, type TestUser } from '../factories/users.factory';
import {
  createPaymentsTestApp,
  eventually,
  type PaymentsTestApp,
} from '../utils/payments-test-app';

const ORDERS = `query($status: OrderStatus) { orders(status: $status) { edges { node { id status customerId merchantId } } } }`;
const CANCEL_ORDER = `mutation($id: ID!) { cancelOrder(id: $id) { id status } }`;

describe('orders, expiry and risk holds (e2e)', () => {
  let t: PaymentsTestApp;
  let merchant: TestUser;
  let otherMerchant: TestUser;
  let customer: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createPaymentsTestApp({ ORDER_EXPIRY_SWEEP_MS: '300' });
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.truncate();
    await t.resetSimulators();
    merchant = await createUser(t, { role: Role.MERCHANT });
    otherMerchant = await createUser(t, { role: Role.MERCHANT });
    customer = await createUser(t, { role: Role.CUSTOMER });
    admin = await createUser(t, { role: Role.ADMIN });
  });

  describe('orders', () => {
    it('totals the lines in minor units and shows the order to its merchant and customer only', async () => {
      const data = await t.gql.ok<{
        createOrder: { id: string; totalMinor: number; lineItems: unknown[] };
      }>(
        CREATE_ORDER,
        {
          input: {
            currency: 'INR',
            customerEmail: customer.email,
            reference: 'SO-1001',
            lineItems: [
              { name: 'Tea', quantity: 3, unitAmountMinor: 12_550 },
              { name: 'Cups', quantity: 2, unitAmountMinor: 5_000_000_000 },
            ],
          },
        },
        merchant.accessToken,
      );
      expect(data.createOrder.totalMinor).toBe(3 * 12_550 + 2 * 5_000_000_000);
      const id = data.createOrder.id;
      expect(
        (await t.gql.ok<{ order: { id: string } }>(ORDER, { id }, customer.accessToken)).order.id,
      ).toBe(id);
      expect(
        (await t.gql.request(ORDER, { id }, otherMerchant.accessToken)).errors?.[0]?.extensions
          ?.code,
      ).toBe('NOT_FOUND');
      const stranger = await createUser(t);
      expect(
        (await t.gql.request(ORDER, { id }, stranger.accessToken)).errors?.[0]?.extensions?.code,
      ).toBe('NOT_FOUND');
      const mine = await t.gql.ok<{ orders: { edges: { node: { id: string } }[] } }>(
        ORDERS,
        {},
        customer.accessToken,
      );
      expect(mine.orders.edges.map((e) => e.node.id)).toEqual([id]);
      const theirs = await t.gql.ok<{ orders: { edges: unknown[] } }>(
        ORDERS,
        {},
        otherMerchant.accessToken,
      );
      expect(theirs.orders.edges).toEqual([]);
    });

    it('refuses bad orders with field errors, a duplicate reference, and customers creating orders', async () => {
      const bad = await t.gql.request(
        CREATE_ORDER,
        {
          input: { currency: 'usd', lineItems: [{ name: '', quantity: 0, unitAmountMinor: 1.5 }] },
        },
        merchant.accessToken,
      );
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const input = {
        currency: 'USD',
        reference: 'dup',
        lineItems: [{ name: 'A', quantity: 1, unitAmountMinor: 100 }],
      };
      await t.gql.ok(CREATE_ORDER, { input }, merchant.accessToken);
      const dup = await t.gql.request(CREATE_ORDER, { input }, merchant.accessToken);
      expect(dup.errors?.[0]?.extensions?.reason).toBe('ORDER_REFERENCE_TAKEN');
      expect(
        (
          await t.gql.request(
            CREATE_ORDER,
            { input: { ...input, reference: 'x' } },
            customer.accessToken,
          )
        ).errors?.[0]?.extensions?.code,
      ).toBe('FORBIDDEN');
    });

    it('expires an unpaid order, which then refuses payment', async () => {
      const order = await createOrder(t, merchant, {
        currency: 'USD',
        customer,
        expiresInSeconds: 60,
      });
      await t.app
        .get(DataSource)
        .query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [
          order.id,
        ]);
      await eventually(
        async () => {
          const data = await t.gql.ok<{ order: { status: string } }>(
            ORDER,
            { id: order.id },
            merchant.accessToken,
          );
          return data.order.status === 'EXPIRED' ? true : undefined;
        },
        { what: 'the order to expire' },
      );
      const pay = await t.gql.request(
        CREATE_PAYMENT,
        {
          input: {
            orderId: order.id,
            paymentMethod: 'CARD',
            gatewayCode: 'stripe',
            paymentMethodToken: 'pm_card_visa',
            returnUrl: 'https://shop.example/r',
          },
        },
        customer.accessToken,
      );
      expect(pay.errors?.[0]?.extensions?.reason).toBe('ORDER_NOT_PAYABLE');
    });

    it('keeps an order with a payment in progress from expiring or being cancelled', async () => {
      const order = await createOrder(t, merchant, { currency: 'USD', customer });
      const payment = await createPayment(t, customer, {
        orderId: order.id,
        paymentMethod: 'PAYPAL',
      });
      expect(payment.status).toBe('REQUIRES_ACTION');
      const second = await t.gql.request(
        CREATE_PAYMENT,
        {
          input: {
            orderId: order.id,
            paymentMethod: 'PAYPAL',
            returnUrl: 'https://shop.example/r',
          },
        },
        customer.accessToken,
      );
      expect(second.errors?.[0]?.extensions?.reason).toBe('PAYMENT_ALREADY_IN_PROGRESS');
      expect(
        (await t.gql.request(CANCEL_ORDER, { id: order.id }, merchant.accessToken)).errors?.[0]
          ?.extensions?.reason,
      ).toBe('ORDER_INVALID_STATUS_CHANGE');
      await t.app
        .get(DataSource)
        .query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [
          order.id,
        ]);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // several expiry sweeps
      expect(
        (
          await t.gql.ok<{ order: { status: string } }>(
            ORDER,
            { id: order.id },
            merchant.accessToken,
          )
        ).order.status,
      ).toBe('PENDING');
      // Once the payment is cancelled nothing holds the order: the next sweep expires it.
      await t.gql.ok(
        `mutation($input: CancelPaymentInput!) { cancelPayment(input: $input) { id } }`,
        { input: { paymentId: payment.id } },
        customer.accessToken,
      );
      await eventually(
        async () => {
          const data = await t.gql.ok<{ order: { status: string } }>(
            ORDER,
            { id: order.id },
            merchant.accessToken,
          );
          return data.order.status === 'EXPIRED' ? true : undefined;
        },
        { what: 'the order to expire once its payment is cancelled' },
      );
    });

    it('explains which gateways were excluded when none can take the payment', async () => {
      const order = await createOrder(t, merchant, {
        currency: 'KES',
        amountMinor: 10_050,
        customer,
      });
      const result = await t.gql.request(
        CREATE_PAYMENT,
        {
          input: {
            orderId: order.id,
            paymentMethod: 'PAYPAL',
            returnUrl: 'https://shop.example/r',
          },
        },
        customer.accessToken,
      );
      expect(result.errors?.[0]?.extensions?.reason).toBe('PAYMENT_NO_ELIGIBLE_GATEWAY');
      expect(result.errors?.[0]?.message).toContain('mpesa: does not take paypal');
    });
  });

  describe('risk', () => {
    const CREATE_RULE = `mutation($input: CreateRiskRuleInput!) { createRiskRule(input: $input) { id } }`;

    it('blocks a payment from a block-listed email before any gateway call', async () => {
      await t.gql.ok(
        `mutation($input: AddBlockListEntryInput!) { addBlockListEntry(input: $input) { id } }`,
        { input: { dimension: 'EMAIL', value: 'fraud@example.com', reason: 'chargebacks' } },
        admin.accessToken,
      );
      const order = await createOrder(t, merchant, { currency: 'USD', customer });
      const payment = await createPayment(t, customer, {
        orderId: order.id,
        paymentMethod: 'CARD',
        gatewayCode: 'stripe',
        paymentMethodToken: 'pm_card_visa',
        customer: { email: 'Fraud@Example.com' },
      });
      expect(payment.status).toBe('FAILED');
      expect(payment.failureCode).toBe('RISK_BLOCKED');
      expect(payment.attempts).toEqual([]);
    });

    it('holds a large payment for review; an admin approval sends it to the gateway', async () => {
      await t.gql.ok(
        CREATE_RULE,
        {
          input: {
            type: 'AMOUNT_LIMIT',
            currency: 'USD',
            maxAmountMinor: 100_000,
            action: 'REVIEW',
            description: 'big USD',
          },
        },
        admin.accessToken,
      );
      const order = await createOrder(t, merchant, {
        currency: 'USD',
        amountMinor: 500_000,
        customer,
      });
      const held = await createPayment(t, customer, { orderId: order.id, paymentMethod: 'PAYPAL' });
      expect(held.status).toBe('UNDER_REVIEW');
      expect(held.attempts).toEqual([]);
      const review = `mutation($input: ReviewPaymentInput!) { reviewPayment(input: $input) { id status nextAction { type url } } }`;
      expect(
        (
          await t.gql.request(
            review,
            { input: { paymentId: held.id, approve: true } },
            merchant.accessToken,
          )
        ).errors?.[0]?.extensions?.code,
      ).toBe('FORBIDDEN');
      const approved = await t.gql.ok<{ reviewPayment: PaymentView }>(
        review,
        { input: { paymentId: held.id, approve: true, note: 'known customer' } },
        admin.accessToken,
      );
      expect(approved.reviewPayment.status).toBe('REQUIRES_ACTION');
      expect(approved.reviewPayment.nextAction?.type).toBe('APPROVAL');
      const again = await t.gql.request(
        review,
        { input: { paymentId: held.id, approve: false } },
        admin.accessToken,
      );
      expect(again.errors?.[0]?.extensions?.reason).toBe('PAYMENT_INVALID_STATE');
      const audit = await t.gql.ok<{ auditLog: { edges: { node: { action: string } }[] } }>(
        `query($id: String) { auditLog(objectId: $id) { edges { node { action } } } }`,
        { id: held.id },
        admin.accessToken,
      );
      expect(audit.auditLog.edges.map((e) => e.node.action)).toEqual(
        expect.arrayContaining(['payment.create', 'payment.review.approve']),
      );
    });

    it('rejects a held payment on review', async () => {
      await t.gql.ok(
        CREATE_RULE,
        {
          input: {
            type: 'AMOUNT_LIMIT',
            currency: 'USD',
            maxAmountMinor: 100,
            action: 'REVIEW',
            description: 'tiny limit',
          },
        },
        admin.accessToken,
      );
      const order = await createOrder(t, merchant, { currency: 'USD', amountMinor: 500, customer });
      const held = await createPayment(t, customer, { orderId: order.id, paymentMethod: 'PAYPAL' });
      const rejected = await t.gql.ok<{ reviewPayment: PaymentView }>(
        `mutation($input: ReviewPaymentInput!) { reviewPayment(input: $input) { id status failureCode } }`,
        { input: { paymentId: held.id, approve: false, note: 'stolen card' } },
        admin.accessToken,
      );
      expect(rejected.reviewPayment.status).toBe('FAILED');
      expect(rejected.reviewPayment.failureCode).toBe('RISK_REJECTED');
      expect((await getPayment(t, merchant, held.id)).status).toBe('FAILED');
    });
  });
});
