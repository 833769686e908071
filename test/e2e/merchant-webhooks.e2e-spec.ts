import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { withTransaction } from '../../src/database/transaction';
import { OutboxService } from '../../src/modules/merchant-webhooks/outbox.service';
import type { OutboxEventInput } from '../../src/modules/merchant-webhooks/outbox.types';
import { WebhookDeliveriesService } from '../../src/modules/merchant-webhooks/webhook-deliveries.service';
import { verifySignatureHeader } from '../../src/modules/merchant-webhooks/webhook-signature';
import { Role } from '../../src/modules/users/role';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';

interface ReceivedHook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  readonly body: {
    id: string;
    type: string;
    createdAt: string;
    sequence: number;
    objectType: string;
    objectId: string;
    data: Record<string, unknown>;
  };
}

/** A merchant's webhook server: records every request and answers per path as the test says. */
class HookReceiver {
  readonly received: ReceivedHook[] = [];
  /** Status to answer the n-th (1-based) request on a path; 200 when unset. */
  readonly answers = new Map<string, (n: number) => number>();
  private server?: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const path = req.url ?? '/';
        this.received.push({
          path,
          headers: req.headers,
          rawBody,
          body: JSON.parse(rawBody.toString('utf8')) as ReceivedHook['body'],
        });
        const n = this.on(path).length;
        const status = this.answers.get(path)?.(n) ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status} #${n}`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): ReceivedHook[] {
    return this.received.filter((hook) => hook.path === path);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Polls until the check passes or the deadline is reached; never a fixed sleep. */
async function until<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(50);
  }
}

const CREATE_ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id url eventTypes enabled merchantId } }
}`;
const DELIVERIES = `query($eventId: ID, $endpointId: ID, $status: WebhookDeliveryStatus, $merchantId: ID) {
  webhookDeliveries(eventId: $eventId, endpointId: $endpointId, status: $status, merchantId: $merchantId) {
    edges { node {
      id eventId endpointId status attemptCount lastStatusCode lastError deliveredAt nextAttemptAt
      attempts { attemptNumber statusCode responseBody error durationMs startedAt }
    } }
  }
}`;
const REPLAY = `mutation($eventId: ID!, $endpointId: ID) {
  replayWebhookEvent(eventId: $eventId, endpointId: $endpointId) { id status attemptCount endpointId }
}`;
const EVENTS = `query($first: Int, $after: String, $objectId: String, $type: String, $createdAfter: DateTime, $merchantId: ID) {
  events(first: $first, after: $after, objectId: $objectId, type: $type, createdAfter: $createdAfter, merchantId: $merchantId) {
    edges { cursor node { id type objectType objectId sequence data createdAt merchantId } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

interface DeliveryNode {
  id: string;
  eventId: string;
  endpointId: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  attempts: Array<{
    attemptNumber: number;
    statusCode: number | null;
    responseBody: string | null;
    error: string | null;
    durationMs: number;
    startedAt: string;
  }>;
}

interface EventNode {
  id: string;
  type: string;
  objectType: string;
  objectId: string;
  sequence: number;
  data: string;
  createdAt: string;
  merchantId: string;
}

describe('merchant webhooks (e2e)', () => {
  const receiver = new HookReceiver();
  let t: TestApp;
  let dataSource: DataSource;
  let outbox: OutboxService;

  beforeAll(async () => {
    await receiver.start();
    t = await createTestApp({
      MERCHANT_WEBHOOK_RETRY_SCHEDULE: '1,1',
      MERCHANT_WEBHOOK_POLL_MS: '200',
      MERCHANT_WEBHOOK_TIMEOUT_MS: '3000',
    });
    dataSource = t.app.get(DataSource);
    outbox = t.app.get(OutboxService);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const newMerchant = () => createUser(t, { role: Role.MERCHANT });

  const createEndpoint = async (
    owner: TestUser,
    path: string,
    eventTypes?: string[],
  ): Promise<{ id: string; secret: string }> => {
    const data = await t.gql.ok<{
      createWebhookEndpoint: { secret: string; endpoint: { id: string } };
    }>(
      CREATE_ENDPOINT,
      { input: { url: `${receiver.base}${path}`, eventTypes, description: 'test receiver' } },
      owner.accessToken,
    );
    return {
      id: data.createWebhookEndpoint.endpoint.id,
      secret: data.createWebhookEndpoint.secret,
    };
  };

  /** Records events the way a writer does: inside its transaction, then a kick after commit. */
  const record = async (...events: OutboxEventInput[]): Promise<void> => {
    for (const event of events) {
      await dataSource.transaction((manager) => outbox.record(manager, event));
    }
    outbox.kick();
  };

  const paymentEvent = (
    merchant: TestUser,
    objectId: string,
    type = 'payment.captured',
    data: Record<string, unknown> = { amountMinor: 1050, currency: 'USD' },
  ): OutboxEventInput => ({
    merchantId: merchant.merchantId!,
    objectType: 'payment',
    objectId,
    type,
    data: { id: objectId, ...data },
  });

  const eventsOf = async (objectId: string): Promise<Array<{ id: string; sequence: number }>> =>
    (await dataSource.query(
      'SELECT id, sequence FROM outbox_events WHERE object_id = ? ORDER BY sequence',
      [objectId],
    )) as Array<{ id: string; sequence: number }>;

  const deliveries = async (
    caller: TestUser,
    filter: { eventId?: string; endpointId?: string; status?: string; merchantId?: string },
  ): Promise<DeliveryNode[]> =>
    (
      await t.gql.ok<{ webhookDeliveries: { edges: Array<{ node: DeliveryNode }> } }>(
        DELIVERIES,
        filter,
        caller.accessToken,
      )
    ).webhookDeliveries.edges.map((edge) => edge.node);

  const deliveryWhen = (
    caller: TestUser,
    eventId: string,
    status: DeliveryNode['status'],
    minAttempts = 1,
  ): Promise<DeliveryNode> =>
    until(async () => {
      const [delivery] = await deliveries(caller, { eventId });
      return delivery?.status === status && delivery.attemptCount >= minAttempts && delivery;
    }, `delivery of ${eventId} to be ${status}`);

  it('delivers committed events signed, with the event headers and an increasing sequence per object', async () => {
    const merchant = await newMerchant();
    const endpoint = await createEndpoint(merchant, '/signed');
    const refundsOnly = await createEndpoint(merchant, '/refunds-only', ['refund.*']);
    const first = randomUUID();
    const second = randomUUID();
    await record(
      paymentEvent(merchant, first, 'payment.authorized'),
      paymentEvent(merchant, first, 'payment.captured'),
      paymentEvent(merchant, second, 'payment.authorized'),
      paymentEvent(merchant, first, 'payment.refunded'),
    );

    const hooks = await until(
      () => receiver.on('/signed').length >= 4 && receiver.on('/signed'),
      'four deliveries',
    );
    expect(hooks).toHaveLength(4);
    for (const hook of hooks) {
      const check = verifySignatureHeader(
        hook.headers['payrail-signature'] as string,
        hook.rawBody,
        endpoint.secret,
      );
      expect(check.valid).toBe(true);
      expect(hook.headers['payrail-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(hook.headers['payrail-event-id']).toBe(hook.body.id);
      expect(hook.headers['payrail-event-type']).toBe(hook.body.type);
      expect(hook.headers['payrail-delivery-attempt']).toBe('1');
      expect(hook.headers['content-type']).toBe('application/json');
      expect(Object.keys(hook.body).sort()).toEqual(
        ['createdAt', 'data', 'id', 'objectId', 'objectType', 'sequence', 'type'].sort(),
      );
      expect(hook.body.objectType).toBe('payment');
      expect(hook.body.data.id).toBe(hook.body.objectId);
      // Signed with this endpoint's secret only.
      expect(
        verifySignatureHeader(hook.headers['payrail-signature'] as string, hook.rawBody, 'pwhsec_x')
          .valid,
      ).toBe(false);
    }
    // Per object, sequence follows the order the changes were made (and createdAt agrees).
    const ofFirst = hooks
      .filter((hook) => hook.body.objectId === first)
      .sort((a, b) => a.body.sequence - b.body.sequence);
    expect(ofFirst.map((hook) => [hook.body.sequence, hook.body.type])).toEqual([
      [1, 'payment.authorized'],
      [2, 'payment.captured'],
      [3, 'payment.refunded'],
    ]);
    const times = ofFirst.map((hook) => Date.parse(hook.body.createdAt));
    expect(times[0]).toBeLessThan(times[1]!);
    expect(times[1]).toBeLessThan(times[2]!);
    expect(hooks.find((hook) => hook.body.objectId === second)?.body.sequence).toBe(1);

    // Each delivery is recorded as succeeded with one logged attempt; the filtered endpoint got none.
    const settled = await until(async () => {
      const rows = await deliveries(merchant, { endpointId: endpoint.id });
      return rows.length === 4 && rows.every((row) => row.status === 'SUCCEEDED') && rows;
    }, 'four succeeded deliveries');
    for (const row of settled) {
      expect(row.attemptCount).toBe(1);
      expect(row.deliveredAt).not.toBeNull();
      expect(row.attempts).toEqual([
        expect.objectContaining({ attemptNumber: 1, statusCode: 200, error: null }),
      ]);
    }
    expect(await deliveries(merchant, { endpointId: refundsOnly.id })).toEqual([]);
    expect(receiver.on('/refunds-only')).toEqual([]);
  });

  it('retries after a 500 and delivers, with both attempts in the log', async () => {
    const merchant = await newMerchant();
    receiver.answers.set('/flaky', (n) => (n === 1 ? 500 : 200));
    await createEndpoint(merchant, '/flaky');
    const objectId = randomUUID();
    await record(paymentEvent(merchant, objectId));
    const [event] = await eventsOf(objectId);

    const delivery = await deliveryWhen(merchant, event!.id, 'SUCCEEDED');
    expect(delivery.attemptCount).toBe(2);
    expect(delivery.lastStatusCode).toBe(200);
    expect(delivery.attempts.map((attempt) => [attempt.attemptNumber, attempt.statusCode])).toEqual(
      [
        [1, 500],
        [2, 200],
      ],
    );
    expect(delivery.attempts[0]!.responseBody).toBe('answer 500 #1');
    const hooks = receiver.on('/flaky');
    expect(hooks.map((hook) => hook.headers['payrail-delivery-attempt'])).toEqual(['1', '2']);
    expect(new Set(hooks.map((hook) => hook.body.id))).toEqual(new Set([event!.id]));
    // The retry waited for the schedule (1 s, give or take the 10% jitter).
    const gap =
      Date.parse(delivery.attempts[1]!.startedAt) - Date.parse(delivery.attempts[0]!.startedAt);
    expect(gap).toBeGreaterThanOrEqual(850);
  });

  it('gives up after the schedule when the endpoint keeps failing, and a replay delivers it again', async () => {
    const merchant = await newMerchant();
    let failing = true;
    receiver.answers.set('/down', () => (failing ? 503 : 200));
    const endpoint = await createEndpoint(merchant, '/down');
    const objectId = randomUUID();
    await record(paymentEvent(merchant, objectId));
    const [event] = await eventsOf(objectId);

    const failed = await deliveryWhen(merchant, event!.id, 'FAILED');
    // The first try plus one retry per schedule entry (1,1).
    expect(failed.attemptCount).toBe(3);
    expect(failed.nextAttemptAt).toBeNull();
    expect(failed.lastStatusCode).toBe(503);
    expect(failed.lastError).toBe('HTTP 503');
    expect(failed.attempts.map((attempt) => attempt.statusCode)).toEqual([503, 503, 503]);
    expect(receiver.on('/down')).toHaveLength(3);

    failing = false;
    const replayed = await t.gql.ok<{ replayWebhookEvent: Array<{ id: string; status: string }> }>(
      REPLAY,
      { eventId: event!.id, endpointId: endpoint.id },
      merchant.accessToken,
    );
    expect(replayed.replayWebhookEvent).toEqual([
      expect.objectContaining({ id: failed.id, status: 'PENDING' }),
    ]);
    const delivered = await deliveryWhen(merchant, event!.id, 'SUCCEEDED');
    expect(delivered.attemptCount).toBe(4);
    expect(delivered.attempts.map((attempt) => attempt.statusCode)).toEqual([503, 503, 503, 200]);
    const last = receiver.on('/down').at(-1)!;
    expect(last.body.id).toBe(event!.id);
    expect(last.body.sequence).toBe(event!.sequence);
    expect(last.headers['payrail-delivery-attempt']).toBe('4');
    expect(last.rawBody.equals(receiver.on('/down')[0]!.rawBody)).toBe(true);
  });

  it('replays a delivered event to every endpoint that wants it, adding deliveries where there were none', async () => {
    const merchant = await newMerchant();
    await createEndpoint(merchant, '/replay-a');
    const objectId = randomUUID();
    await record(paymentEvent(merchant, objectId));
    const [event] = await eventsOf(objectId);
    await deliveryWhen(merchant, event!.id, 'SUCCEEDED');
    // An endpoint added later never got the event: a replay to all creates its delivery.
    const later = await createEndpoint(merchant, '/replay-b');

    const replayed = await t.gql.ok<{ replayWebhookEvent: Array<{ endpointId: string }> }>(
      REPLAY,
      { eventId: event!.id },
      merchant.accessToken,
    );
    expect(replayed.replayWebhookEvent).toHaveLength(2);
    await until(
      () => receiver.on('/replay-a').length === 2 && receiver.on('/replay-b').length === 1,
      'the replay to reach both endpoints',
    );
    const resent = [...receiver.on('/replay-a'), ...receiver.on('/replay-b')];
    expect(new Set(resent.map((hook) => hook.body.id))).toEqual(new Set([event!.id]));
    expect(new Set(resent.map((hook) => hook.body.sequence))).toEqual(new Set([1]));
    const toLater = await until(async () => {
      const [row] = await deliveries(merchant, { endpointId: later.id });
      return row?.status === 'SUCCEEDED' && row;
    }, 'the new delivery to succeed');
    expect(toLater.eventId).toBe(event!.id);
  });

  it('never sends one delivery twice, however many senders race for it', async () => {
    const merchant = await newMerchant();
    await createEndpoint(merchant, '/raced');
    const objectId = randomUUID();
    // No kick: the senders below race each other and the poller.
    await dataSource.transaction((manager) =>
      outbox.record(manager, paymentEvent(merchant, objectId)),
    );
    const [event] = await eventsOf(objectId);
    const [{ id }] = (await dataSource.query(
      'SELECT id FROM webhook_deliveries WHERE event_id = ?',
      [event!.id],
    )) as Array<{ id: string }>;
    const sender = t.app.get(WebhookDeliveriesService);
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => sender.deliver(id, 1)));
    expect(outcomes.filter((outcome) => outcome !== 'skipped').length).toBeLessThanOrEqual(1);

    const delivered = await deliveryWhen(merchant, event!.id, 'SUCCEEDED');
    expect(delivered.attemptCount).toBe(1);
    expect(delivered.attempts).toHaveLength(1);
    expect(receiver.on('/raced')).toHaveLength(1);
    // A stale job for an attempt already made does nothing.
    expect(await sender.deliver(id, 1)).toBe('skipped');
  });

  it('numbers concurrent events on one object 1, 2, 3 even when writers skip the row lock', async () => {
    const merchant = await newMerchant();
    const objectId = randomUUID();
    await Promise.all(
      ['payment.authorized', 'payment.captured', 'payment.refunded'].map((type) =>
        withTransaction(dataSource, (manager) =>
          outbox.record(manager, paymentEvent(merchant, objectId, type)),
        ),
      ),
    );
    expect((await eventsOf(objectId)).map((event) => event.sequence)).toEqual([1, 2, 3]);
  });

  it('delivers nothing for a rolled-back transaction', async () => {
    const merchant = await newMerchant();
    await createEndpoint(merchant, '/rollback');
    const rolledBack = randomUUID();
    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.record(manager, paymentEvent(merchant, rolledBack));
        throw new Error('the payment change failed');
      }),
    ).rejects.toThrow('the payment change failed');
    outbox.kick();
    // A committed event recorded after it goes out; by then the dispatcher has run past the other.
    const committed = randomUUID();
    await record(paymentEvent(merchant, committed));
    await until(() => receiver.on('/rollback').length >= 1, 'the committed event');

    expect(await eventsOf(rolledBack)).toEqual([]);
    expect(receiver.on('/rollback').map((hook) => hook.body.objectId)).toEqual([committed]);
    const [{ count }] = (await dataSource.query(
      'SELECT COUNT(*) AS count FROM webhook_deliveries WHERE merchant_id = ?',
      [merchant.merchantId],
    )) as Array<{ count: string }>;
    expect(Number(count)).toBe(1);
  });

  it('pages through the merchant’s events oldest first, with filters', async () => {
    const merchant = await newMerchant();
    const objects = [randomUUID(), randomUUID()];
    const types = ['payment.authorized', 'payment.captured', 'payment.refunded'];
    for (const type of types) {
      await record(
        paymentEvent(merchant, objects[0]!, type),
        paymentEvent(merchant, objects[1]!, type),
      );
    }
    const seen: EventNode[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const { events } = await t.gql.ok<{
        events: {
          edges: Array<{ cursor: string; node: EventNode }>;
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
        };
      }>(EVENTS, { first: 4, after }, merchant.accessToken);
      pages++;
      seen.push(...events.edges.map((edge) => edge.node));
      expect(events.pageInfo.hasPreviousPage).toBe(Boolean(after));
      if (!events.pageInfo.hasNextPage) break;
      after = events.pageInfo.endCursor!;
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(6);
    expect(new Set(seen.map((event) => event.merchantId))).toEqual(new Set([merchant.merchantId]));
    const times = seen.map((event) => Date.parse(event.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const objectId of objects) {
      const mine = seen.filter((event) => event.objectId === objectId);
      expect(mine.map((event) => [event.sequence, event.type])).toEqual(
        types.map((type, index) => [index + 1, type]),
      );
      expect(JSON.parse(mine[0]!.data)).toEqual({
        id: objectId,
        amountMinor: 1050,
        currency: 'USD',
      });
      expect(mine[0]!.objectType).toBe('PAYMENT');
    }

    const filtered = await t.gql.ok<{ events: { edges: Array<{ node: EventNode }> } }>(
      EVENTS,
      { objectId: objects[1], type: 'payment.captured' },
      merchant.accessToken,
    );
    expect(filtered.events.edges.map((edge) => edge.node.sequence)).toEqual([2]);
    const since = await t.gql.ok<{ events: { edges: Array<{ node: EventNode }> } }>(
      EVENTS,
      { createdAfter: seen[3]!.createdAt },
      merchant.accessToken,
    );
    expect(since.events.edges.map((edge) => edge.node.id)).toEqual(
      seen.slice(4).map((event) => event.id),
    );

    // A merchant API key with merchant:read catches up the same way; without it, it may not.
    const key = await t.gql.ok<{ createApiKey: { secret: string } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { name: 'catch-up', scopes: ['merchant:read'] } },
      merchant.accessToken,
    );
    const viaKey = await t.gql.ok<{ events: { edges: unknown[] } }>(
      EVENTS,
      { first: 10 },
      key.createApiKey.secret,
    );
    expect(viaKey.events.edges).toHaveLength(6);
    const narrowKey = await t.gql.ok<{ createApiKey: { secret: string } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { name: 'orders', scopes: ['orders:read'] } },
      merchant.accessToken,
    );
    expect(await t.gql.errorCode(EVENTS, {}, narrowKey.createApiKey.secret)).toBe('FORBIDDEN');
    // Endpoint management is for a signed-in user, never a key.
    expect(
      await t.gql.errorCode(
        CREATE_ENDPOINT,
        { input: { url: `${receiver.base}/key` } },
        key.createApiKey.secret,
      ),
    ).toBe('FORBIDDEN');
  });

  it('keeps the signing secret encrypted at rest, and signs with the new one after rotation', async () => {
    const merchant = await newMerchant();
    const endpoint = await createEndpoint(merchant, '/rotated');
    const [row] = (await dataSource.query('SELECT * FROM webhook_endpoints WHERE id = ?', [
      endpoint.id,
    ])) as Array<Record<string, unknown>>;
    expect(JSON.stringify(row)).not.toContain(endpoint.secret);
    expect(JSON.stringify(row)).not.toContain(endpoint.secret.slice(7));
    expect(String(row!.secret_encrypted)).toMatch(/^v1\./);
    const listed = await t.gql.ok<{ webhookEndpoints: unknown }>(
      '{ webhookEndpoints { edges { node { id url eventTypes enabled description } } } }',
      {},
      merchant.accessToken,
    );
    expect(JSON.stringify(listed)).not.toContain(endpoint.secret);

    const rotated = await t.gql.ok<{
      rotateWebhookEndpointSecret: { secret: string; endpoint: { id: string } };
    }>(
      'mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret endpoint { id } } }',
      { id: endpoint.id },
      merchant.accessToken,
    );
    const secret = rotated.rotateWebhookEndpointSecret.secret;
    expect(secret).not.toBe(endpoint.secret);
    await record(paymentEvent(merchant, randomUUID()));
    const [hook] = await until(
      () => receiver.on('/rotated').length > 0 && receiver.on('/rotated'),
      'a hook',
    );
    const header = hook!.headers['payrail-signature'] as string;
    expect(verifySignatureHeader(header, hook!.rawBody, secret).valid).toBe(true);
    expect(verifySignatureHeader(header, hook!.rawBody, endpoint.secret).valid).toBe(false);
  });

  it('updates, pauses and deletes endpoints, and refuses URLs that are not http(s)', async () => {
    const merchant = await newMerchant();
    const endpoint = await createEndpoint(merchant, '/paused');
    const updated = await t.gql.ok<{
      updateWebhookEndpoint: { enabled: boolean; eventTypes: string[]; url: string };
    }>(
      `mutation($input: UpdateWebhookEndpointInput!) {
        updateWebhookEndpoint(input: $input) { enabled eventTypes url }
      }`,
      { input: { id: endpoint.id, enabled: false, eventTypes: ['payment.*'] } },
      merchant.accessToken,
    );
    expect(updated.updateWebhookEndpoint).toEqual({
      enabled: false,
      eventTypes: ['payment.*'],
      url: `${receiver.base}/paused`,
    });
    // A paused endpoint gets no new deliveries.
    const objectId = randomUUID();
    await record(paymentEvent(merchant, objectId));
    expect(await deliveries(merchant, { endpointId: endpoint.id })).toEqual([]);

    for (const url of ['ftp://example.com/hook', 'not a url', 'file:///etc/passwd']) {
      expect(await t.gql.errorCode(CREATE_ENDPOINT, { input: { url } }, merchant.accessToken)).toBe(
        'BAD_USER_INPUT',
      );
    }
    expect(
      await t.gql.errorCode(
        CREATE_ENDPOINT,
        { input: { url: `${receiver.base}/x`, eventTypes: ['Not A Type'] } },
        merchant.accessToken,
      ),
    ).toBe('BAD_USER_INPUT');

    const deleted = await t.gql.ok<{ deleteWebhookEndpoint: { id: string } }>(
      'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }',
      { id: endpoint.id },
      merchant.accessToken,
    );
    expect(deleted.deleteWebhookEndpoint.id).toBe(endpoint.id);
    const left = await t.gql.ok<{ webhookEndpoints: { edges: unknown[] } }>(
      '{ webhookEndpoints { edges { node { id } } } }',
      {},
      merchant.accessToken,
    );
    expect(left.webhookEndpoints.edges).toEqual([]);
  });

  it('answers NOT_FOUND for another merchant’s endpoints and events, and lists none of them', async () => {
    const owner = await newMerchant();
    const stranger = await newMerchant();
    const endpoint = await createEndpoint(owner, '/tenant');
    const objectId = randomUUID();
    await record(paymentEvent(owner, objectId));
    const [event] = await eventsOf(objectId);
    await deliveryWhen(owner, event!.id, 'SUCCEEDED');

    const asStranger = stranger.accessToken;
    expect(
      await t.gql.errorCode(
        'mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { id } }',
        { input: { id: endpoint.id, enabled: false } },
        asStranger,
      ),
    ).toBe('NOT_FOUND');
    expect(
      await t.gql.errorCode(
        'mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret } }',
        { id: endpoint.id },
        asStranger,
      ),
    ).toBe('NOT_FOUND');
    expect(
      await t.gql.errorCode(
        'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }',
        { id: endpoint.id },
        asStranger,
      ),
    ).toBe('NOT_FOUND');
    expect(await t.gql.errorCode(REPLAY, { eventId: event!.id }, asStranger)).toBe('NOT_FOUND');
    // The stranger's own endpoint cannot be used to pull the owner's event either.
    const own = await createEndpoint(stranger, '/stranger');
    expect(
      await t.gql.errorCode(REPLAY, { eventId: event!.id, endpointId: own.id }, asStranger),
    ).toBe('NOT_FOUND');
    expect(
      await t.gql.errorCode(REPLAY, { eventId: event!.id, endpointId: own.id }, owner.accessToken),
    ).toBe('NOT_FOUND');
    expect(await deliveries(stranger, { eventId: event!.id })).toEqual([]);
    expect(await deliveries(stranger, { merchantId: owner.merchantId! })).toEqual([]);
    const strangerEvents = await t.gql.ok<{ events: { edges: unknown[] } }>(
      EVENTS,
      { objectId, merchantId: owner.merchantId },
      asStranger,
    );
    expect(strangerEvents.events.edges).toEqual([]);
  });

  it('lets staff read every merchant’s events and deliveries, admins replay, and forbids customers', async () => {
    const merchant = await newMerchant();
    const admin = await createUser(t, { role: Role.ADMIN });
    const support = await createUser(t, { role: Role.SUPPORT });
    const customer = await createUser(t, { role: Role.CUSTOMER });
    await createEndpoint(merchant, '/staff');
    const objectId = randomUUID();
    await record(paymentEvent(merchant, objectId));
    const [event] = await eventsOf(objectId);
    await deliveryWhen(merchant, event!.id, 'SUCCEEDED');

    for (const staff of [admin, support]) {
      const seen = await t.gql.ok<{ events: { edges: Array<{ node: EventNode }> } }>(
        EVENTS,
        { merchantId: merchant.merchantId },
        staff.accessToken,
      );
      expect(seen.events.edges.map((edge) => edge.node.id)).toEqual([event!.id]);
      expect((await deliveries(staff, { eventId: event!.id }))[0]?.status).toBe('SUCCEEDED');
      const endpoints = await t.gql.ok<{ webhookEndpoints: { edges: unknown[] } }>(
        'query($m: ID) { webhookEndpoints(merchantId: $m) { edges { node { id merchantId } } } }',
        { m: merchant.merchantId },
        staff.accessToken,
      );
      expect(endpoints.webhookEndpoints.edges).toHaveLength(1);
    }
    expect(await t.gql.errorCode(REPLAY, { eventId: event!.id }, support.accessToken)).toBe(
      'FORBIDDEN',
    );
    const byAdmin = await t.gql.ok<{ replayWebhookEvent: unknown[] }>(
      REPLAY,
      { eventId: event!.id },
      admin.accessToken,
    );
    expect(byAdmin.replayWebhookEvent).toHaveLength(1);
    await until(() => receiver.on('/staff').length === 2, 'the admin’s replay');

    const asCustomer = customer.accessToken;
    expect(await t.gql.errorCode(EVENTS, {}, asCustomer)).toBe('FORBIDDEN');
    expect(await t.gql.errorCode(DELIVERIES, {}, asCustomer)).toBe('FORBIDDEN');
    expect(
      await t.gql.errorCode('{ webhookEndpoints { edges { node { id } } } }', {}, asCustomer),
    ).toBe('FORBIDDEN');
    expect(
      await t.gql.errorCode(CREATE_ENDPOINT, { input: { url: `${receiver.base}/c` } }, asCustomer),
    ).toBe('FORBIDDEN');
    expect(await t.gql.errorCode(REPLAY, { eventId: event!.id }, asCustomer)).toBe('FORBIDDEN');
  });

  it('describes every type, field, argument and enum value it adds to the schema', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const ours =
      /^(WebhookEndpoint|WebhookDelivery|MerchantEvent|EventObjectType|CreateWebhookEndpointInput|UpdateWebhookEndpointInput)/;
    const operations = [
      'events',
      'webhookDeliveries',
      'webhookEndpoints',
      'createWebhookEndpoint',
      'updateWebhookEndpoint',
      'rotateWebhookEndpointSecret',
      'deleteWebhookEndpoint',
      'replayWebhookEvent',
    ];
    const missing: string[] = [];
    let checked = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      const isRoot = ['Query', 'Mutation'].includes(type.name);
      if (!isRoot && !ours.test(type.name)) continue;
      checked++;
      if (!isRoot && !type.description) missing.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) {
          if (isRoot && !operations.includes(field.name)) continue;
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if ('getValues' in type) {
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});
