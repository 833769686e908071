import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { verifySignatureHeader } from '../../src/modules/merchant-webhooks/webhook-signature';
import { DataSource } from 'typeorm';
import { Role } from '../../src/modules/users/role';
import {
  CANCEL_PAYMENT,
  CAPTURE_PAYMENT,
  CONFIRM_PAYMENT,
  CREATE_PAYMENT,
  createOrder,
  createPayment,
  getPayment,
  PAYMENT,
  type PaymentView,
} from '../factories/payments.factory';
import { createUser, type TestUser } from '../factories/users.factory';
import {
  actAsCustomer,
  createPaymentsTestApp,
  eventually,
  type PaymentsTestApp,
} from '../utils/payments-test-app';

const STRIPE_WEBHOOK_SECRET_ENV = 'STRIPE_WEBHOOK_SECRET';

describe('payments under failure (e2e)', () => {
  let t: PaymentsTestApp;
  let db: DataSource;
  let merchant: TestUser;
  let otherMerchant: TestUser;
  let customer: TestUser;

  beforeAll(async () => {
    t = await createPaymentsTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.truncate();
    await t.resetSimulators();
    merchant = await createUser(t, { role: Role.MERCHANT });
    otherMerchant = await createUser(t, { role: Role.MERCHANT });
    customer = await createUser(t, { role: Role.CUSTOMER });
  });

  const statusOf = (id: string, statuses: string[], viewer = merchant) =>
    eventually(
      async () => {
        const payment = await getPayment(t, viewer, id);
        return statuses.includes(payment.status) ? payment : undefined;
      },
      { what: `payment ${id} in ${statuses.join('/')}` },
    );

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    Number(((await db.query(sql, params)) as { n: string | number }[])[0]!.n);

  const stripeCard = async (
    token: string,
    extra: Record<string, unknown> = {},
    amountMinor = 2_000,
  ) => {
    const order = await createOrder(t, merchant, { currency: 'USD', amountMinor, customer });
    return createPayment(t, customer, {
      orderId: order.id,
      paymentMethod: 'CARD',
      gatewayCode: 'stripe',
      paymentMethodToken: token,
      ...extra,
    });
  };

  it('declines a refused card without trying another gateway, and the order stays payable', async () => {
    const payment = await stripeCard('pm_card_chargeDeclined');
    expect(payment.status).toBe('FAILED');
    expect(payment.failureCode).toBe('generic_decline');
    expect(payment.attempts.map((a) => a.status)).toEqual(['DECLINED']);
    const retry = await createPayment(t, customer, {
      orderId: payment.orderId,
      paymentMethod: 'CARD',
      gatewayCode: 'stripe',
      paymentMethodToken: 'pm_card_visa',
    });
    expect(retry.status).toBe('CAPTURED');
  });

  it('fails over to the next eligible gateway when the first is down, recording why', async () => {
    await t.gql.ok(
      `mutation { createRoutingRule(input: { name: "inr cards to stripe", priority: 1, gatewayCode: "stripe", currency: "INR", paymentMethod: CARD }) { id } }`,
      {},
      merchant.accessToken,
    );
    await t.fault('stripe', {
      action: 'error',
      method: 'POST',
      path: '^/v1/payment_intents$',
      status: 503,
      times: 10,
    });
    const order = await createOrder(t, merchant, {
      currency: 'INR',
      amountMinor: 10_000,
      customer,
    });
    const payment = await createPayment(t, customer, {
      orderId: order.id,
      paymentMethod: 'CARD',
      paymentMethodToken: 'pm_card_visa',
      customer: { email: 'buyer@example.com', name: 'Asha Rao', phone: '919876543210' },
    });
    expect(payment.attempts.map((a) => [a.gatewayCode, a.status])).toEqual([
      ['stripe', 'ERRORED'],
      ['zaakpay', 'REQUIRES_ACTION'],
    ]);
    expect(payment.attempts[0]!.routeReason).toBe('rule "inr cards to stripe" (priority 1)');
    expect(payment.attempts[1]!.routeReason).toMatch(
      /^failover after stripe unavailable; fallback/,
    );
    expect(payment.status).toBe('REQUIRES_ACTION');
    expect(payment.nextAction?.type).toBe('FORM_POST');
  });

  it('fails over after a retryable decline', async () => {
    const order = await createOrder(t, merchant, {
      currency: 'INR',
      amountMinor: 10_000,
      customer,
    });
    await t.gql.ok(
      `mutation { createRoutingRule(input: { name: "stripe first", priority: 1, gatewayCode: "stripe" }) { id } }`,
      {},
      merchant.accessToken,
    );
    const payment = await createPayment(t, customer, {
      orderId: order.id,
      paymentMethod: 'CARD',
      paymentMethodToken: 'pm_card_chargeDeclinedProcessingError',
      customer: { email: 'buyer@example.com', name: 'Asha Rao', phone: '919876543210' },
    });
    expect(payment.attempts.map((a) => [a.gatewayCode, a.status, a.declineCode])).toEqual([
      ['stripe', 'DECLINED', 'processing_error'],
      ['zaakpay', 'REQUIRES_ACTION', null],
    ]);
    expect(payment.attempts[1]!.routeReason).toContain(
      'failover after stripe declined (processing_error)',
    );
  });

  it('never charges twice when the gateway commits but the answer times out', async () => {
    await t.fault('stripe', {
      action: 'hang_after_commit',
      method: 'POST',
      path: '^/v1/payment_intents$',
      times: 1,
    });
    const payment = await stripeCard('pm_card_visa');
    // Either the client's own idempotent retry recovered the answer, or the payment waits in
    // UNKNOWN for the callback or the reconciler. It never moves to another gateway.
    expect(['CAPTURED', 'UNKNOWN']).toContain(payment.status);
    expect(payment.attempts).toHaveLength(1);
    const settled = await statusOf(payment.id, ['CAPTURED']);
    expect(settled.capturedMinor).toBe(2_000);
    const state = (await (await fetch(`${t.simulators.urls.stripe}/__sim/state`)).json()) as {
      paymentIntents: unknown[];
    };
    expect(state.paymentIntents).toHaveLength(1);
    expect(
      await count(
        "SELECT COUNT(*) n FROM payment_events WHERE payment_id = ? AND type = 'CAPTURED'",
        [payment.id],
      ),
    ).toBe(1);
  });

  it('applies a callback delivered three times exactly once, in the events and the ledger', async () => {
    await t.fault('stripe', { action: 'callback_duplicate', count: 3, times: 5 });
    const payment = await stripeCard('pm_card_threeDSecure2Required');
    expect(payment.status).toBe('REQUIRES_ACTION');
    await actAsCustomer(
      t,
      'stripe',
      payment.nextAction!,
      payment.attempts[0]!.gatewayReference!,
      'approve',
    );
    await statusOf(payment.id, ['CAPTURED']);
    await eventually(async () =>
      (await count(
        "SELECT COUNT(*) n FROM webhook_events WHERE gateway_code = 'stripe' AND status = 'PROCESSED'",
        [],
      )) >= 1
        ? true
        : undefined,
    );
    expect(
      await count(
        "SELECT COUNT(*) n FROM payment_events WHERE payment_id = ? AND type = 'CAPTURED'",
        [payment.id],
      ),
    ).toBe(1);
    expect(
      await count(
        "SELECT COUNT(*) n FROM journal_entries WHERE kind = 'payment.capture' AND reference LIKE ?",
        [`${payment.attempts[0]!.id}:%`],
      ),
    ).toBe(1);
    const inbox = (await db.query(
      'SELECT gateway_event_id, COUNT(*) n FROM webhook_events GROUP BY gateway_event_id HAVING n > 1',
    )) as unknown[];
    expect(inbox).toEqual([]);
  });

  it('ends in the right state when callbacks arrive out of order', async () => {
    await t.fault('stripe', { action: 'callback_hold', times: 10 });
    const payment = await stripeCard('pm_card_threeDSecure2Required');
    await actAsCustomer(
      t,
      'stripe',
      payment.nextAction!,
      payment.attempts[0]!.gatewayReference!,
      'approve',
    );
    await t.flushCallbacks('stripe');
    const settled = await statusOf(payment.id, ['CAPTURED']);
    expect(settled.capturedMinor).toBe(2_000);
  });

  it('recovers a lost M-Pesa callback through the reconciler', async () => {
    await t.fault('mpesa', { action: 'callback_drop', times: 5 });
    const order = await createOrder(t, merchant, {
      currency: 'KES',
      amountMinor: 10_000,
      customer,
    });
    const payment = await createPayment(t, customer, {
      orderId: order.id,
      paymentMethod: 'MOBILE_MONEY',
      customer: { phone: '254708374149' },
    });
    expect(payment.nextAction?.type).toBe('STK_PUSH');
    await actAsCustomer(
      t,
      'mpesa',
      payment.nextAction!,
      payment.attempts[0]!.gatewayReference!,
      'approve',
    );
    const settled = await statusOf(payment.id, ['CAPTURED']);
    expect(settled.capturedMinor).toBe(10_000);
    expect(
      await count(
        "SELECT COUNT(*) n FROM payment_events WHERE payment_id = ? AND source = 'reconciliation'",
        [payment.id],
      ),
    ).toBe(1);
  });

  it('refunds a whole M-Pesa payment by reversing its receipt, kept from the unsigned callback', async () => {
    const order = await createOrder(t, merchant, {
      currency: 'KES',
      amountMinor: 10_000,
      customer,
    });
    const payment = await createPayment(t, customer, {
      orderId: order.id,
      paymentMethod: 'MOBILE_MONEY',
      customer: { phone: '254708374149' },
    });
    await actAsCustomer(
      t,
      'mpesa',
      payment.nextAction!,
      payment.attempts[0]!.gatewayReference!,
      'approve',
    );
    await statusOf(payment.id, ['CAPTURED']);
    await t.gql.ok(
      `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { id } }`,
      { input: { paymentId: payment.id, reason: 'returned' } },
      merchant.accessToken,
    );
    const refunded = await statusOf(payment.id, ['REFUNDED']);
    expect(refunded.refundedMinor).toBe(10_000);
    const [row] = (await db.query('SELECT gateway_reference FROM refunds WHERE payment_id = ?', [
      payment.id,
    ])) as {
      gateway_reference: string;
    }[];
    expect(JSON.parse(row!.gateway_reference)).toMatchObject({ extra: { method: 'reversal' } });
  });

  it.each([
    ['cancels on the phone', 1032],
    ['times out on the phone', 1037],
  ])('fails an M-Pesa payment the customer %s', async (_name, resultCode) => {
    const order = await createOrder(t, merchant, {
      currency: 'KES',
      amountMinor: 10_000,
      customer,
    });
    const payment = await createPayment(t, customer, {
      orderId: order.id,
      paymentMethod: 'MOBILE_MONEY',
      customer: { phone: '254708374149' },
    });
    const response = await fetch(
      `${t.simulators.urls.mpesa}/__sim/stk/${encodeURIComponent(payment.attempts[0]!.gatewayReference!)}/complete`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resultCode }),
      },
    );
    expect(response.ok).toBe(true);
    const failed = await statusOf(payment.id, ['FAILED']);
    expect(failed.failureCode).toBe(String(resultCode));
  });

  it('captures once when the customer’s confirm races the gateway’s callback', async () => {
    const order = await createOrder(t, merchant, { currency: 'USD', amountMinor: 2_000, customer });
    const payment = await createPayment(t, customer, {
      orderId: order.id,
      paymentMethod: 'PAYPAL',
    });
    expect(payment.nextAction?.type).toBe('APPROVAL');
    await actAsCustomer(
      t,
      'paypal',
      payment.nextAction!,
      payment.attempts[0]!.gatewayReference!,
      'approve',
    );
    const confirms = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.gql.request<{ confirmPayment: PaymentView }>(
          CONFIRM_PAYMENT,
          { input: { paymentId: payment.id } },
          customer.accessToken,
        ),
      ),
    );
    expect(confirms.some((r) => r.data?.confirmPayment?.status === 'CAPTURED')).toBe(true);
    const settled = await statusOf(payment.id, ['CAPTURED']);
    expect(settled.capturedMinor).toBe(2_000);
    expect(
      await count(
        "SELECT COUNT(*) n FROM payment_events WHERE payment_id = ? AND type = 'CAPTURED'",
        [payment.id],
      ),
    ).toBe(1);
  });

  it('authorizes, captures part, and refuses a second capture', async () => {
    const payment = await stripeCard('pm_card_visa', { captureMode: 'MANUAL' });
    expect(payment.status).toBe('AUTHORIZED');
    expect(payment.authorizedMinor).toBe(2_000);
    const captured = await t.gql.ok<{ capturePayment: PaymentView }>(
      CAPTURE_PAYMENT,
      { input: { paymentId: payment.id, amountMinor: 1_500, idempotencyKey: `cap-${payment.id}` } },
      merchant.accessToken,
    );
    expect(captured.capturePayment.status).toBe('CAPTURED');
    expect(captured.capturePayment.capturedMinor).toBe(1_500);
    const again = await t.gql.request(
      CAPTURE_PAYMENT,
      { input: { paymentId: payment.id } },
      merchant.accessToken,
    );
    expect(again.errors?.[0]?.extensions?.reason).toBe('PAYMENT_INVALID_STATE');
  });

  it('books a payment the customer completes after it was cancelled, and flags it for review', async () => {
    const order = await createOrder(t, merchant, {
      currency: 'INR',
      amountMinor: 10_000,
      customer,
    });
    const payment = await createPayment(t, customer, {
      orderId: order.id,
      paymentMethod: 'CARD',
      gatewayCode: 'zaakpay',
      customer: { email: 'buyer@example.com', name: 'Asha Rao', phone: '919876543210' },
    });
    expect(payment.nextAction?.type).toBe('FORM_POST');
    const cancelled = await t.gql.ok<{ cancelPayment: PaymentView }>(
      CANCEL_PAYMENT,
      { input: { paymentId: payment.id } },
      customer.accessToken,
    );
    expect(cancelled.cancelPayment.status).toBe('CANCELLED');
    await actAsCustomer(
      t,
      'zaakpay',
      payment.nextAction!,
      payment.attempts[0]!.gatewayReference!,
      'approve',
    );
    const late = await statusOf(payment.id, ['CAPTURED']);
    expect(late.capturedMinor).toBe(10_000);
    expect(late.needsReview).toBe(true);
  });

  it('voids an authorization', async () => {
    const payment = await stripeCard('pm_card_visa', { captureMode: 'MANUAL' });
    const cancelled = await t.gql.ok<{ cancelPayment: PaymentView }>(
      CANCEL_PAYMENT,
      { input: { paymentId: payment.id, reason: 'out of stock' } },
      merchant.accessToken,
    );
    expect(cancelled.cancelPayment.status).toBe('CANCELLED');
  });

  describe('idempotency keys', () => {
    it('replays the first result for the same key and input', async () => {
      const order = await createOrder(t, merchant, {
        currency: 'USD',
        amountMinor: 2_000,
        customer,
      });
      const input = {
        orderId: order.id,
        paymentMethod: 'CARD',
        gatewayCode: 'stripe',
        paymentMethodToken: 'pm_card_visa',
        idempotencyKey: 'checkout-1',
      };
      const first = await createPayment(t, customer, input);
      const second = await createPayment(t, customer, input);
      expect(second.id).toBe(first.id);
      expect(second.status).toBe('CAPTURED');
      expect(await count('SELECT COUNT(*) n FROM payments WHERE order_id = ?', [order.id])).toBe(1);
    });

    it('refuses the same key with different input', async () => {
      const order = await createOrder(t, merchant, {
        currency: 'USD',
        amountMinor: 2_000,
        customer,
      });
      await createPayment(t, customer, {
        orderId: order.id,
        paymentMethod: 'CARD',
        gatewayCode: 'stripe',
        paymentMethodToken: 'pm_card_visa',
        idempotencyKey: 'checkout-2',
      });
      const other = await t.gql.request(
        CREATE_PAYMENT,
        {
          input: {
            orderId: order.id,
            paymentMethod: 'CARD',
            gatewayCode: 'stripe',
            paymentMethodToken: 'pm_card_mastercard',
            returnUrl: 'https://shop.example/return',
            idempotencyKey: 'checkout-2',
          },
        },
        customer.accessToken,
      );
      expect(other.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(other.errors?.[0]?.extensions?.reason).toBe('IDEMPOTENCY_KEY_MISMATCH');
    });

    it('charges once when the same request arrives ten times at once', async () => {
      const order = await createOrder(t, merchant, {
        currency: 'USD',
        amountMinor: 2_000,
        customer,
      });
      const input = {
        orderId: order.id,
        paymentMethod: 'CARD',
        gatewayCode: 'stripe',
        paymentMethodToken: 'pm_card_visa',
        idempotencyKey: 'checkout-3',
        returnUrl: 'https://shop.example/return',
      };
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.gql.request<{ createPayment: PaymentView }>(
            CREATE_PAYMENT,
            { input },
            customer.accessToken,
          ),
        ),
      );
      const ids = new Set(
        results.flatMap((r) => (r.data?.createPayment ? [r.data.createPayment.id] : [])),
      );
      expect(ids.size).toBe(1);
      for (const result of results.filter((r) => r.errors)) {
        expect(result.errors![0]!.extensions?.reason).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      }
      expect(await count('SELECT COUNT(*) n FROM payments WHERE order_id = ?', [order.id])).toBe(1);
      const state = (await (await fetch(`${t.simulators.urls.stripe}/__sim/state`)).json()) as {
        paymentIntents: unknown[];
      };
      expect(state.paymentIntents).toHaveLength(1);
    });
  });

  describe('gateway webhooks', () => {
    const post = (code: string, body: string, headers: Record<string, string>) =>
      fetch(`${t.url}/webhooks/${code}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    it('refuses a badly signed callback with 400 and stores nothing', async () => {
      const body = JSON.stringify({
        id: 'evt_forged',
        type: 'payment_intent.succeeded',
        data: { object: {} },
      });
      const response = await post('stripe', body, {
        'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
      });
      expect(response.status).toBe(400);
      const error = (await response.json()) as { error: { reason: string } };
      expect(error.error.reason).toBe('WEBHOOK_INVALID');
      expect(await count('SELECT COUNT(*) n FROM webhook_events', [])).toBe(0);
    });

    it('answers 404 for an unknown gateway', async () => {
      expect((await post('visa', '{}', {})).status).toBe(404);
    });

    it('stores a replayed callback once and answers it the same way', async () => {
      const secret = process.env[STRIPE_WEBHOOK_SECRET_ENV] ?? 'whsec_payrail_demo';
      const body = JSON.stringify({
        id: 'evt_replayed_1',
        object: 'event',
        type: 'payment_intent.processing',
        created: Math.floor(Date.now() / 1000),
        data: {
          object: {
            id: 'pi_unknown',
            object: 'payment_intent',
            status: 'processing',
            amount: 100,
            currency: 'usd',
            metadata: {},
          },
        },
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
      const first = await post('stripe', body, {
        'stripe-signature': `t=${timestamp},v1=${signature}`,
      });
      const second = await post('stripe', body, {
        'stripe-signature': `t=${timestamp},v1=${signature}`,
      });
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(
        await count(
          "SELECT COUNT(*) n FROM webhook_events WHERE gateway_event_id = 'evt_replayed_1'",
          [],
        ),
      ).toBe(1);
    });
  });

  describe('tenancy and roles', () => {
    it('hides a merchant’s payment from another merchant and from other customers', async () => {
      const payment = await stripeCard('pm_card_visa');
      expect(
        (await t.gql.request(PAYMENT, { id: payment.id }, otherMerchant.accessToken)).errors?.[0]
          ?.extensions?.code,
      ).toBe('NOT_FOUND');
      const stranger = await createUser(t, { role: Role.CUSTOMER });
      expect(
        (await t.gql.request(PAYMENT, { id: payment.id }, stranger.accessToken)).errors?.[0]
          ?.extensions?.code,
      ).toBe('NOT_FOUND');
      const refund = await t.gql.request(
        `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { id } }`,
        { input: { paymentId: payment.id } },
        otherMerchant.accessToken,
      );
      expect(refund.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });

    it('refuses refunds by customers and anonymous callers', async () => {
      const payment = await stripeCard('pm_card_visa');
      const query = `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { id } }`;
      expect(
        (await t.gql.request(query, { input: { paymentId: payment.id } }, customer.accessToken))
          .errors?.[0]?.extensions?.code,
      ).toBe('FORBIDDEN');
      expect(
        (await t.gql.request(query, { input: { paymentId: payment.id } })).errors?.[0]?.extensions
          ?.code,
      ).toBe('UNAUTHENTICATED');
    });
  });

  it('tells the merchant’s endpoint about the payment and order, signed and sequenced, once each', async () => {
    const received: { type: string; sequence: number; objectId: string; valid: boolean }[] = [];
    let secret = '';
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = JSON.parse(raw.toString()) as {
          type: string;
          sequence: number;
          objectId: string;
        };
        const check = verifySignatureHeader(
          req.headers['payrail-signature'] as string,
          raw,
          secret,
        );
        received.push({
          type: body.type,
          sequence: body.sequence,
          objectId: body.objectId,
          valid: check.valid,
        });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const created = await t.gql.ok<{ createWebhookEndpoint: { secret: string } }>(
        `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
        { input: { url: `http://127.0.0.1:${port}/hooks`, eventTypes: [], description: 'shop' } },
        merchant.accessToken,
      );
      secret = created.createWebhookEndpoint.secret;
      const payment = await stripeCard('pm_card_visa');
      expect(payment.status).toBe('CAPTURED');
      await eventually(
        async () => (received.some((r) => r.type === 'order.paid') ? true : undefined),
        {
          what: 'the order.paid webhook',
        },
      );
      const forPayment = received.filter((r) => r.objectId === payment.id);
      expect(forPayment.map((r) => r.type)).toEqual(['payment.captured']);
      expect(received.every((r) => r.valid)).toBe(true);
      const sequences = forPayment.map((r) => r.sequence);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('posts a balanced journal for each capture: gateway clearing against merchant balance and fees', async () => {
    const payment = await stripeCard('pm_card_visa', {}, 10_000);
    expect(payment.status).toBe('CAPTURED');
    const rows = (await db.query(
      `SELECT a.kind, p.amount_minor AS amount FROM journal_entries j JOIN ledger_postings p ON p.journal_entry_id = j.id
         JOIN ledger_accounts a ON a.id = p.account_id WHERE j.kind = 'payment.capture' ORDER BY a.kind`,
    )) as { kind: string; amount: string }[];
    expect(rows.map((r) => [r.kind, Number(r.amount)])).toEqual([
      ['fees', -250],
      ['gateway_clearing', 10_000],
      ['merchant_balance', -9_750],
    ]);
  });
});
