import { WebhookReceiver } from '../../../../test/utils/webhook-receiver';
import { StripeWebhookVerifier } from '../stripe.webhook-verifier';
import { createStripeSimulator, type StripeSimulator } from './stripe.simulator';

const SECRET_KEY = 'sk_test_simulator_spec_key';
const WEBHOOK_SECRET = 'whsec_simulator_spec_secret';

describe('Stripe simulator over HTTP', () => {
  const receiver = new WebhookReceiver();
  let simulator: StripeSimulator;

  const call = (
    method: string,
    path: string,
    form?: string,
    headers: Record<string, string> = {},
  ): Promise<Response> =>
    fetch(`${simulator.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${SECRET_KEY}`,
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        ...headers,
      },
      body: form,
    });

  beforeAll(async () => {
    await receiver.start();
    simulator = createStripeSimulator({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: receiver.url('/stripe'),
      callbackRetryDelaysMs: [10],
    });
    await simulator.listen(0);
  });
  afterAll(async () => {
    await simulator.close();
    await receiver.stop();
  });
  beforeEach(async () => {
    await simulator.drainCallbacks();
    simulator.reset();
    receiver.clear();
  });

  it('accepts Basic auth with the key as username and answers a wrong key with 401 in Stripe form', async () => {
    const basic = Buffer.from(`${SECRET_KEY}:`).toString('base64');
    const ok = await call('POST', '/v1/payment_intents', 'amount=1000&currency=usd', {
      authorization: `Basic ${basic}`,
    });
    expect(ok.status).toBe(200);
    const wrong = await call('GET', '/v1/payment_intents/pi_x', undefined, {
      authorization: 'Bearer sk_test_nope_9876',
    });
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('9876');
    expect(body.error.message).not.toContain('sk_test_nope');
    const none = await fetch(`${simulator.url}/v1/payment_intents/pi_x`);
    expect(none.status).toBe(401);
  });

  it('reads bracket-nested form fields and requires lowercase currency', async () => {
    const created = await call(
      'POST',
      '/v1/payment_intents',
      'amount=1000&currency=usd&metadata%5Border_id%5D=42&payment_method_types%5B%5D=card',
    );
    const intent = (await created.json()) as {
      id: string;
      metadata: Record<string, string>;
      status: string;
    };
    expect(intent.metadata).toEqual({ order_id: '42' });
    expect(intent.status).toBe('requires_payment_method');
    const upper = await call('POST', '/v1/payment_intents', 'amount=1000&currency=USD');
    expect(upper.status).toBe(400);
    const small = await call('POST', '/v1/payment_intents', 'amount=10&currency=usd');
    expect(((await small.json()) as { error: { code: string } }).error.code).toBe(
      'amount_too_small',
    );
  });

  it('confirms later with a raw test card number and declines with 402 card_error', async () => {
    const created = (await (
      await call('POST', '/v1/payment_intents', 'amount=1000&currency=usd')
    ).json()) as { id: string };
    const declined = await call(
      'POST',
      `/v1/payment_intents/${created.id}/confirm`,
      'payment_method_data%5Btype%5D=card&payment_method_data%5Bcard%5D%5Bnumber%5D=4000000000009995',
    );
    expect(declined.status).toBe(402);
    const body = (await declined.json()) as {
      error: { type: string; decline_code: string; payment_intent: { status: string } };
    };
    expect(body.error).toMatchObject({ type: 'card_error', decline_code: 'insufficient_funds' });
    expect(body.error.payment_intent.status).toBe('requires_payment_method');
  });

  it('replays the stored response for a repeated Idempotency-Key and refuses other parameters', async () => {
    const headers = { 'idempotency-key': 'key-replay-1' };
    const first = await call(
      'POST',
      '/v1/payment_intents',
      'amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true',
      headers,
    );
    const again = await call(
      'POST',
      '/v1/payment_intents',
      'confirm=true&payment_method=pm_card_visa&currency=usd&amount=1000',
      headers,
    );
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(await first.text());
    expect(simulator.state().paymentIntents).toHaveLength(1);
    const mismatch = await call('POST', '/v1/payment_intents', 'amount=2000&currency=usd', headers);
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: { type: string } }).error.type).toBe(
      'idempotency_error',
    );
  });

  it('replays a stored decline too, but stores nothing for a validation failure', async () => {
    const headers = { 'idempotency-key': 'key-decline-1' };
    const form = 'amount=1000&currency=usd&payment_method=pm_card_chargeDeclined&confirm=true';
    expect((await call('POST', '/v1/payment_intents', form, headers)).status).toBe(402);
    const replay = await call('POST', '/v1/payment_intents', form, headers);
    expect(replay.status).toBe(402);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const invalid = { 'idempotency-key': 'key-invalid-1' };
    expect(
      (await call('POST', '/v1/payment_intents', 'amount=1&currency=usd', invalid)).status,
    ).toBe(400);
    expect(
      (await call('POST', '/v1/payment_intents', 'amount=1000&currency=usd', invalid)).status,
    ).toBe(200);
  });

  it('answers 409 to a concurrent request with the same key', async () => {
    simulator.fault({ action: 'processing_delay', ms: 150 });
    const headers = { 'idempotency-key': 'key-concurrent-1' };
    const form = 'amount=1000&currency=usd';
    const [first, second] = await Promise.all([
      call('POST', '/v1/payment_intents', form, headers),
      new Promise((resolve) => setTimeout(resolve, 30)).then(() =>
        call('POST', '/v1/payment_intents', form, headers),
      ),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe(
      'idempotency_key_in_use',
    );
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const response = await call(
      'POST',
      '/v1/payment_intents',
      `description=${'x'.repeat(1024 * 1024 + 10)}`,
    );
    expect(response.status).toBe(413);
  });

  it('serves an offline 3DS page that redirects to return_url', async () => {
    const created = (await (
      await call(
        'POST',
        '/v1/payment_intents',
        'amount=1000&currency=usd&payment_method=pm_card_threeDSecure2Required&confirm=true&return_url=https%3A%2F%2Fshop.example%2Fdone',
      )
    ).json()) as { id: string; status: string; next_action: { redirect_to_url: { url: string } } };
    expect(created.status).toBe('requires_action');
    const page = await fetch(created.next_action.redirect_to_url.url);
    const html = await page.text();
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('value="complete"');
    expect(html).toContain('value="fail"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!shop)/);
    const submitted = await fetch(created.next_action.redirect_to_url.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=complete',
      redirect: 'manual',
    });
    expect(submitted.status).toBe(302);
    expect(submitted.headers.get('location')).toMatch(
      new RegExp(
        `^https://shop\\.example/done\\?payment_intent=${created.id}&.*redirect_status=succeeded`,
      ),
    );
    expect(simulator.paymentIntent(created.id)?.status).toBe('succeeded');
  });

  it('signs every webhook like Stripe and exposes its record through /__sim/state', async () => {
    await call(
      'POST',
      '/v1/payment_intents',
      'amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true',
    );
    await simulator.drainCallbacks();
    const verifier = new StripeWebhookVerifier({ secret: WEBHOOK_SECRET });
    expect(receiver.received.length).toBeGreaterThan(0);
    for (const webhook of receiver.received) {
      expect(webhook.headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(() => verifier.verify(webhook)).not.toThrow();
    }
    const state = (await (await fetch(`${simulator.url}/__sim/state`)).json()) as {
      paymentIntents: unknown[];
      charges: unknown[];
      events: Array<{ type: string }>;
    };
    expect(state.paymentIntents).toHaveLength(1);
    expect(state.charges).toHaveLength(1);
    expect(state.events.map((event) => event.type)).toContain('payment_intent.succeeded');
  });

  it('closes disputes by the test-mode evidence keywords and /close', async () => {
    const intent = (await (
      await call(
        'POST',
        '/v1/payment_intents',
        'amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true',
      )
    ).json()) as { id: string };
    const opened = await fetch(`${simulator.url}/__sim/disputes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payment_intent: intent.id, reason: 'product_not_received' }),
    });
    expect(opened.status).toBe(201);
    const dispute = (await opened.json()) as { id: string; status: string };
    expect(dispute.status).toBe('needs_response');
    const won = await call(
      'POST',
      `/v1/disputes/${dispute.id}`,
      'evidence%5Buncategorized_text%5D=winning_evidence',
    );
    expect(((await won.json()) as { status: string }).status).toBe('won');
    const second = simulator.createDispute(intent.id);
    const lost = await call('POST', `/v1/disputes/${second.id}/close`, '');
    expect(((await lost.json()) as { status: string }).status).toBe('lost');
    expect((await call('POST', `/v1/disputes/${second.id}/close`, '')).status).toBe(400);
  });

  it('refuses to refund more than remains and answers 404 for unknown objects', async () => {
    const intent = (await (
      await call(
        'POST',
        '/v1/payment_intents',
        'amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true',
      )
    ).json()) as { id: string };
    expect(
      (await call('POST', '/v1/refunds', `payment_intent=${intent.id}&amount=600`)).status,
    ).toBe(200);
    const over = await call('POST', '/v1/refunds', `payment_intent=${intent.id}&amount=600`);
    expect(over.status).toBe(400);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe(
      'amount_too_large',
    );
    expect((await call('POST', '/v1/refunds', `payment_intent=${intent.id}`)).status).toBe(200);
    const again = await call('POST', '/v1/refunds', `payment_intent=${intent.id}`);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe(
      'charge_already_refunded',
    );
    expect(simulator.refundedTotalMinor(intent.id)).toBe(1000);
    expect((await call('GET', '/v1/refunds/re_missing')).status).toBe(404);
  });
});
