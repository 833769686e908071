import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import { PaymentUpdatesSubscriber } from '../../src/modules/payments/payment-updates.subscriber';
import { Role } from '../../src/modules/users/role';
import {
  createOrder,
  createPayment,
  GATEWAY_CASES,
  type PaymentView,
} from '../factories/payments.factory';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';
import {
  actAsCustomer,
  createPaymentsTestApp,
  eventually,
  type PaymentsTestApp,
} from '../utils/payments-test-app';

// `ws` has no type declarations installed (no @types/ws); graphql-ws needs only its constructor.
const { WebSocket } = require('ws') as { WebSocket: typeof globalThis.WebSocket };

const PAYMENT_UPDATED = `subscription($id: ID!) {
  paymentUpdated(paymentId: $id) { id status capturedMinor attempts { status } }
}`;

type PaymentEvent = FormattedExecutionResult<{
  paymentUpdated: { id: string; status: string; capturedMinor: number } | null;
}>;

interface Socket {
  readonly client: Client;
  /** Resolves with the close code once the server closes the socket. */
  readonly closed: Promise<number>;
}

/** Reads a subscription's events one by one, each within a deadline. */
class Events {
  private readonly iterator: AsyncIterableIterator<PaymentEvent>;

  constructor(client: Client, paymentId: string) {
    this.iterator = client.iterate({ query: PAYMENT_UPDATED, variables: { id: paymentId } });
  }

  async next(timeoutMs = 15_000): Promise<PaymentEvent> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const result = await Promise.race([this.iterator.next(), timeout]);
      if (result.done) throw new Error('the subscription completed');
      return result.value;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await this.iterator.return?.();
  }
}

describe('paymentUpdated subscription over graphql-ws (e2e)', () => {
  let t: PaymentsTestApp;
  let merchant: TestUser;
  let customer: TestUser;
  let otherCustomer: TestUser;
  const sockets: Client[] = [];

  const connect = (authorization?: string): Socket => {
    let closed!: (code: number) => void;
    const closedPromise = new Promise<number>((resolve) => (closed = resolve));
    const client = createClient({
      url: `${t.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: authorization === undefined ? {} : { authorization },
      retryAttempts: 0,
      on: { closed: (event) => closed((event as { code: number }).code) },
    });
    sockets.push(client);
    return { client, closed: closedPromise };
  };

  const subscriber = (): PaymentUpdatesSubscriber => t.app.get(PaymentUpdatesSubscriber);

  const startMpesaPayment = async (): Promise<PaymentView> => {
    const gateway = GATEWAY_CASES.mpesa;
    const order = await createOrder(t, merchant, {
      currency: gateway.currency,
      amountMinor: gateway.amountMinor,
      customer,
    });
    return createPayment(t, customer, {
      orderId: order.id,
      paymentMethod: gateway.paymentMethod,
      gatewayCode: gateway.code,
      ...gateway.approve,
    });
  };

  beforeAll(async () => {
    t = await createPaymentsTestApp();
    merchant = await createUser(t, { role: Role.MERCHANT });
    customer = await createUser(t, { role: Role.CUSTOMER });
    otherCustomer = await createUser(t, { role: Role.CUSTOMER });
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((client) => client.dispose()));
  });
  afterAll(async () => t?.close());

  it('delivers the M-Pesa payment at once and then CAPTURED after the phone approves, without polling', async () => {
    const started = await startMpesaPayment();
    expect(['PROCESSING', 'REQUIRES_ACTION']).toContain(started.status);
    const events = new Events(connect(`Bearer ${customer.accessToken}`).client, started.id);

    const first = await events.next();
    expect(first.errors).toBeUndefined();
    expect(first.data?.paymentUpdated).toMatchObject({ id: started.id, status: started.status });

    await actAsCustomer(
      t,
      'mpesa',
      started.nextAction ?? { type: 'STK_PUSH', url: null, formFields: null, phone: null },
      started.attempts[0]!.gatewayReference!,
      'approve',
    );
    const seen: string[] = [];
    for (;;) {
      const event = await events.next();
      expect(event.errors).toBeUndefined();
      const payment = event.data!.paymentUpdated!;
      seen.push(payment.status);
      if (payment.status === 'CAPTURED') {
        expect(payment.capturedMinor).toBe(GATEWAY_CASES.mpesa.amountMinor);
        break;
      }
      expect(seen.length).toBeLessThan(10);
    }

    expect(subscriber().listenerCount(started.id)).toBe(1);
    await events.stop();
    await eventually(async () => (subscriber().listenerCount() === 0 ? true : undefined), {
      what: 'the listener to be freed after unsubscribing',
    });
  });

  it('frees the listeners of a client that disconnects while subscribed', async () => {
    const started = await startMpesaPayment();
    const socket = connect(`Bearer ${customer.accessToken}`);
    const events = new Events(socket.client, started.id);
    await events.next();
    expect(subscriber().listenerCount(started.id)).toBe(1);

    await socket.client.dispose();
    await eventually(async () => (subscriber().listenerCount() === 0 ? true : undefined), {
      what: 'the listener to be freed after the socket closed',
    });
  });

  it('lets the merchant and staff follow the payment, and answers NOT_FOUND to another customer', async () => {
    const started = await startMpesaPayment();
    const support = await createUser(t, { role: Role.SUPPORT });
    for (const viewer of [merchant, support]) {
      const events = new Events(connect(`Bearer ${viewer.accessToken}`).client, started.id);
      expect((await events.next()).data?.paymentUpdated?.id).toBe(started.id);
      await events.stop();
    }

    const stranger = new Events(connect(`Bearer ${otherCustomer.accessToken}`).client, started.id);
    const refused = await stranger.next();
    expect(refused.data?.paymentUpdated ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(refused.errors?.[0]?.extensions?.reason).toBe('PAYMENT_NOT_FOUND');
    expect(subscriber().listenerCount(started.id)).toBe(0);
  });

  it('needs payments:read on an API key', async () => {
    const started = await startMpesaPayment();
    const createKey = async (scopes: string[]): Promise<string> =>
      (
        await t.gql.ok<{ createApiKey: { secret: string } }>(
          `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
          { input: { name: `subs-${scopes.join('-')}`, scopes } },
          merchant.accessToken,
        )
      ).createApiKey.secret;

    const reader = new Events(
      connect(`Bearer ${await createKey(['payments:read'])}`).client,
      started.id,
    );
    expect((await reader.next()).data?.paymentUpdated?.status).toBe(started.status);
    await reader.stop();

    const ordersOnly = new Events(
      connect(`Bearer ${await createKey(['orders:read'])}`).client,
      started.id,
    );
    expect((await ordersOnly.next()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers BAD_USER_INPUT for a malformed payment id', async () => {
    const events = new Events(connect(`Bearer ${customer.accessToken}`).client, 'not-a-uuid');
    expect((await events.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('serves only subscriptions over the socket', async () => {
    const { client } = connect(`Bearer ${customer.accessToken}`);
    const result = await client.iterate({ query: '{ me { id } }' }).next();
    expect(result.value?.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'SUBSCRIPTIONS_ONLY',
    });
  });

  it('applies the query limits of the HTTP endpoint', async () => {
    const started = await startMpesaPayment();
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ');
    const { client } = connect(`Bearer ${customer.accessToken}`);
    const result = await client
      .iterate({
        query: `subscription($id: ID!) { paymentUpdated(paymentId: $id) { ${aliases} } }`,
        variables: { id: started.id },
      })
      .next();
    expect(result.value?.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'TOO_MANY_ALIASES',
    });
    expect(subscriber().listenerCount()).toBe(0);
  });

  it('refuses a connection without a token (4401) or with an invalid one (4403)', async () => {
    const started = await startMpesaPayment();
    const cases: Array<[string | undefined, number]> = [
      [undefined, 4401],
      ['Bearer not-a-jwt', 4403],
      [`Bearer ${customer.accessToken}x`, 4403],
      ['Bearer prk_unknown_0000000000000000000000000000', 4403],
    ];
    for (const [authorization, code] of cases) {
      const socket = connect(authorization);
      const events = new Events(socket.client, started.id);
      await expect(events.next()).rejects.toBeDefined();
      expect(await socket.closed).toBe(code);
    }
    expect(subscriber().listenerCount()).toBe(0);
  });
});

describe('paymentUpdated rate limits (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Its own key prefix: budgets spent by other specs in this worker must not count here.
    t = await createTestApp({ RATE_LIMIT: '2', REDIS_KEY_PREFIX: `subs-rate-${Date.now()}` });
  });
  afterAll(async () => t?.close());

  it('counts subscribe operations against the caller’s budget', async () => {
    const customer = await createUser(t, { role: Role.CUSTOMER });
    const client = createClient({
      url: `${t.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${customer.accessToken}` },
      retryAttempts: 0,
    });
    try {
      const codes: unknown[] = [];
      for (let i = 0; i < 3; i += 1) {
        const result = await client
          .iterate({ query: PAYMENT_UPDATED, variables: { id: randomUUID() } })
          .next();
        codes.push(result.value?.errors?.[0]?.extensions?.code);
      }
      expect(codes).toEqual(['NOT_FOUND', 'NOT_FOUND', 'RATE_LIMITED']);
    } finally {
      await client.dispose();
    }
  });
});
