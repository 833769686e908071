import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../../src/gateways/gateway.error';
import type {
  ChargeOutcome,
  GatewayEvent,
  GatewayReference,
  PaymentGateway,
  RefundOutcome,
} from '../../src/gateways/payment-gateway';
import type { GatewayHarness } from './gateway-harness';
import { WebhookReceiver } from './webhook-receiver';

let sequence = 0;
export const uniqueId = (prefix: string): string =>
  `${prefix}${Date.now().toString(36)}${(sequence++).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

function referenceOf(outcome: ChargeOutcome): GatewayReference {
  if (!outcome.reference) throw new Error(`outcome ${outcome.status} carries no reference`);
  return outcome.reference;
}

async function expectGatewayError(
  promise: Promise<unknown>,
  kinds: GatewayError['kind'][],
): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect(kinds).toContain((error as GatewayError).kind);
    return error as GatewayError;
  }
  throw new Error(`expected a GatewayError of kind ${kinds.join('|')}, got a result`);
}

/**
 * The behaviour every gateway connector must show against its simulator, over real HTTP.
 * Parts that depend on a capability run only where the gateway declares it.
 */
export function runGatewayContract(name: string, harness: GatewayHarness): void {
  describe(`${name} gateway contract`, () => {
    const receiver = new WebhookReceiver();
    let gateway: PaymentGateway;

    beforeAll(async () => {
      await receiver.start();
      gateway = await harness.start(receiver);
    });
    afterAll(async () => {
      await harness.stop();
      await receiver.stop();
    });
    beforeEach(async () => {
      await harness.reset();
      receiver.clear();
      receiver.respondWith = { status: 200, body: 'SUCCESS' };
    });

    const pay = async (
      captureMode: 'automatic' | 'manual' = 'automatic',
    ): Promise<ChargeOutcome> => {
      const started = await gateway.initiate(harness.request('approve', { captureMode }));
      if (started.status === 'captured' || started.status === 'authorized') return started;
      expect(['requires_action', 'pending']).toContain(started.status);
      await harness.act(started, 'approve');
      return harness.complete(gateway, started);
    };

    const eventsFor = async (
      reference: GatewayReference,
      type?: string,
      extra: (event: GatewayEvent) => boolean = () => true,
    ): Promise<GatewayEvent[]> => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        for (const webhook of receiver.received) {
          try {
            const parsed = await gateway.parseWebhook(webhook);
            const found = parsed.events.filter(
              (event) =>
                event.reference.id === reference.id &&
                (!type || event.type === type) &&
                extra(event),
            );
            if (found.length > 0) return found;
          } catch {
            // not every callback is about this transaction, or verifiable on its own
          }
        }
        await sleep(50);
      }
      throw new Error(`no ${type ?? ''} webhook for ${reference.id}`);
    };

    const settleRefund = async (
      outcome: RefundOutcome,
      payment: GatewayReference,
    ): Promise<RefundOutcome> => {
      let current = outcome;
      for (let i = 0; i < 60 && current.status === 'pending'; i++) {
        await sleep(50);
        current = await gateway.fetchRefundStatus(current.refundReference, payment);
      }
      if (current.status !== 'pending') return current;
      // Some gateways only report asynchronous results by callback (M-Pesa ResultURL).
      const refundId = current.refundReference.id;
      const events = await eventsFor(
        payment,
        'refund.succeeded',
        (event) => event.refundReference?.id === refundId,
      );
      expect(events[0].refundReference?.id).toBe(refundId);
      return { ...current, status: 'succeeded' };
    };

    it('declares consistent capabilities', () => {
      const caps = gateway.capabilities;
      expect(caps.currencies.length).toBeGreaterThan(0);
      expect(caps.currencies).toContain(harness.amount.currency);
      for (const [currency, min] of Object.entries(caps.minAmountMinor)) {
        const max = caps.maxAmountMinor[currency];
        if (max !== undefined) expect(min).toBeLessThanOrEqual(max);
      }
      if (caps.partialCapture) expect(caps.manualCapture).toBe(true);
      if (caps.multipleRefunds) expect(caps.partialRefund).toBe(true);
    });

    it('refuses an unsupported currency or an amount out of limits before calling the gateway', async () => {
      await expectGatewayError(
        gateway.initiate(
          harness.request('approve', { amount: { amountMinor: 1000, currency: 'XTS' } }),
        ),
        ['invalid_request'],
      );
      const max = gateway.capabilities.maxAmountMinor[harness.amount.currency];
      if (max !== undefined) {
        await expectGatewayError(
          gateway.initiate(
            harness.request('approve', { amount: { ...harness.amount, amountMinor: max + 100 } }),
          ),
          ['invalid_request'],
        );
      }
      await expectGatewayError(
        gateway.initiate(
          harness.request('approve', { amount: { ...harness.amount, amountMinor: 0 } }),
        ),
        ['invalid_request'],
      );
    });

    it('takes a payment through the customer action to captured', async () => {
      const outcome = await pay();
      expect(outcome.status).toBe('captured');
      if (outcome.status !== 'captured') return;
      expect(outcome.capturedAmount).toEqual(harness.amount);
      const status = await gateway.fetchStatus(outcome.reference);
      expect(status.status).toBe('captured');
    });

    it('reports a declined payment as a decline outcome, not an error', async () => {
      const started = await gateway.initiate(harness.request('decline'));
      let final: ChargeOutcome = started;
      if (started.status === 'requires_action' || started.status === 'pending') {
        await harness.act(started, 'decline');
        final = await harness.complete(gateway, started);
      }
      expect(['declined', 'cancelled']).toContain(final.status);
      if (final.status === 'declined') {
        expect(final.decline.gatewayCode).toBeTruthy();
        expect(typeof final.decline.retryable).toBe('boolean');
      }
      if (final.reference)
        expect(['declined', 'cancelled']).toContain(
          (await gateway.fetchStatus(final.reference)).status,
        );
    });

    it('verifies and parses the payment webhook into our events', async () => {
      const outcome = await pay();
      const events = await eventsFor(referenceOf(outcome), 'payment.captured');
      expect(events[0].gatewayCode).toBe(gateway.code);
      expect(events[0].gatewayEventId).toBeTruthy();
      expect(events[0].trust).toBe(harness.signedWebhooks ? 'signature' : 'unverified');
    });

    it('recognises a replayed webhook by its event id', async () => {
      const outcome = await pay();
      await eventsFor(referenceOf(outcome), 'payment.captured');
      let webhook = receiver.received[0];
      for (const candidate of receiver.received) {
        const parsed = await gateway.parseWebhook(candidate).catch(() => undefined);
        if (parsed?.events.some((event) => event.reference.id === referenceOf(outcome).id))
          webhook = candidate;
      }
      const first = await gateway.parseWebhook(webhook);
      const again = await gateway.parseWebhook({
        ...webhook,
        rawBody: Buffer.from(webhook.rawBody),
      });
      expect(again.events.map((event) => event.gatewayEventId)).toEqual(
        first.events.map((event) => event.gatewayEventId),
      );
      expect(first.acknowledgement.status).toBeGreaterThanOrEqual(200);
      expect(first.acknowledgement.status).toBeLessThan(300);
    });

    it('rejects a tampered or unsigned webhook', async () => {
      const outcome = await pay();
      await eventsFor(referenceOf(outcome));
      const webhook = receiver.received[receiver.received.length - 1];
      await expectGatewayError(gateway.parseWebhook(harness.tamper(webhook)), ['invalid_webhook']);
      await expectGatewayError(
        gateway.parseWebhook({ headers: {}, query: {}, rawBody: Buffer.from('{"hello":"world"}') }),
        ['invalid_webhook'],
      );
      await expectGatewayError(
        gateway.parseWebhook({
          headers: {},
          query: {},
          rawBody: Buffer.from('not even json \u0000'),
        }),
        ['invalid_webhook'],
      );
    });

    it('refunds partially, then again, then refuses to refund past what was captured', async () => {
      if (!gateway.capabilities.partialRefund) return;
      const outcome = await pay();
      const reference = referenceOf(outcome);
      const quarter = {
        ...harness.amount,
        amountMinor: Math.floor(harness.amount.amountMinor / 4),
      };
      const first = await settleRefund(
        await gateway.refund({
          reference,
          refundId: uniqueId('rf'),
          amount: quarter,
          capturedAmount: harness.amount,
          callbackUrl: receiver.url('/refunds'),
        }),
        reference,
      );
      expect(first.status).toBe('succeeded');
      expect(first.amount).toEqual(quarter);
      if (gateway.capabilities.multipleRefunds) {
        const second = await settleRefund(
          await gateway.refund({
            reference,
            refundId: uniqueId('rf'),
            amount: quarter,
            capturedAmount: harness.amount,
            callbackUrl: receiver.url('/refunds'),
          }),
          reference,
        );
        expect(second.status).toBe('succeeded');
        expect(await harness.refundedTotalMinor(reference)).toBe(quarter.amountMinor * 2);
      }
      const tooMuch = { ...harness.amount, amountMinor: harness.amount.amountMinor };
      try {
        const over = await gateway.refund({
          reference,
          refundId: uniqueId('rf'),
          amount: tooMuch,
          capturedAmount: harness.amount,
          callbackUrl: receiver.url('/refunds'),
        });
        expect(over.status).toBe('failed');
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError);
        expect(['rejected', 'invalid_request']).toContain((error as GatewayError).kind);
      }
    });

    it('refunds in full', async () => {
      const outcome = await pay();
      const reference = referenceOf(outcome);
      const refund = await settleRefund(
        await gateway.refund({
          reference,
          refundId: uniqueId('rf'),
          amount: harness.amount,
          capturedAmount: harness.amount,
          callbackUrl: receiver.url('/refunds'),
        }),
        reference,
      );
      expect(refund.status).toBe('succeeded');
      expect(await harness.refundedTotalMinor(reference)).toBe(harness.amount.amountMinor);
    });

    it('reports a timeout after the gateway committed as outcome unknown, and a retry never refunds twice', async () => {
      const outcome = await pay();
      const reference = referenceOf(outcome);
      await harness.fault({ action: 'hang_after_commit', path: harness.paths.refund, ms: 5_000 });
      const refundId = uniqueId('rf');
      const request = {
        reference,
        refundId,
        amount: harness.amount,
        capturedAmount: harness.amount,
        callbackUrl: receiver.url('/refunds'),
      };
      const error = await expectGatewayError(gateway.refund(request), ['timeout']);
      expect(error.outcomeUnknown).toBe(true);
      try {
        const retried = await gateway.refund(request);
        expect(['succeeded', 'pending']).toContain(retried.status);
      } catch (retryError) {
        // Some gateways refuse the repeat as already refunded: also safe.
        expect(retryError).toBeInstanceOf(GatewayError);
        expect((retryError as GatewayError).kind).toBe('rejected');
      }
      await sleep(200);
      expect(await harness.refundedTotalMinor(reference)).toBe(harness.amount.amountMinor);
    });

    it('retries an idempotent status call through a gateway outage', async () => {
      const outcome = await pay();
      await harness.fault({ action: 'error', status: 503, path: harness.paths.status });
      expect((await gateway.fetchStatus(referenceOf(outcome))).status).toBe('captured');
    });

    it('authorizes, then captures part of the amount', async () => {
      if (!gateway.capabilities.manualCapture) return;
      const outcome = await pay('manual');
      expect(outcome.status).toBe('authorized');
      const amount = gateway.capabilities.partialCapture
        ? { ...harness.amount, amountMinor: Math.floor(harness.amount.amountMinor / 2) }
        : harness.amount;
      const captured = await gateway.capture({
        reference: referenceOf(outcome),
        amount,
        idempotencyKey: uniqueId('cap'),
      });
      expect(captured.status).toBe('captured');
      if (captured.status === 'captured') expect(captured.capturedAmount).toEqual(amount);
    });

    it('voids an authorization', async () => {
      if (!gateway.capabilities.manualCapture || !gateway.capabilities.voidAuthorization) return;
      const outcome = await pay('manual');
      expect(outcome.status).toBe('authorized');
      const voided = await gateway.cancel({
        reference: referenceOf(outcome),
        idempotencyKey: uniqueId('void'),
      });
      expect(voided.status).toBe('cancelled');
      expect((await gateway.fetchStatus(referenceOf(outcome))).status).toBe('cancelled');
    });

    it('pays out where the gateway supports payouts', async () => {
      if (!gateway.capabilities.payouts) return;
      expect(gateway.payout).toBeDefined();
      const payoutId = uniqueId('po');
      let outcome = await gateway.payout!({
        payoutId,
        amount: harness.amount,
        recipient: harness.payoutRecipient ?? {},
        note: 'contract suite payout',
        callbackUrl: receiver.url('/payouts'),
      });
      expect(['succeeded', 'pending']).toContain(outcome.status);
      for (let i = 0; i < 60 && outcome.status === 'pending' && gateway.fetchPayoutStatus; i++) {
        await sleep(50);
        outcome = await gateway.fetchPayoutStatus(outcome.payoutReference);
      }
      if (outcome.status === 'pending') {
        const found = receiver.waitFor((webhook) => webhook.path === '/payouts');
        const parsed = await gateway.parseWebhook(await found);
        expect(parsed.events.map((event) => event.type)).toContain('payout.succeeded');
      } else {
        expect(outcome.status).toBe('succeeded');
      }
    });
  });
}
