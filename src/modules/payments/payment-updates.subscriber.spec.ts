import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import type { AuthUser } from '../../common/auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import type { redisConfig } from '../../config/redis.config';
import { Role } from '../users/role';
import type { PaymentEntity } from './entities/payment.entity';
import { PaymentError, PaymentErrorCode } from './payments.errors';
import type { PaymentsService } from './payments.service';
import { PaymentUpdatesSubscriber } from './payment-updates.subscriber';

const CONFIG = { host: '127.0.0.1', port: 6379, db: 0, keyPrefix: 'unit' } as ReturnType<
  typeof redisConfig
>;
const CHANNEL = 'unit:payment-updated';
const CUSTOMER: AuthUser = { kind: 'user', userId: 'u1', role: Role.CUSTOMER, merchantId: null };
const PAYMENT_A = '00000000-0000-4000-8000-00000000000a';
const PAYMENT_B = '00000000-0000-4000-8000-00000000000b';

/** Stands in for ioredis in subscriber mode: tests publish by emitting 'message'. */
class FakeRedis extends EventEmitter {
  failConnect = false;
  readonly subscribedChannels: string[] = [];
  quitCalls = 0;

  async connect(): Promise<void> {
    if (this.failConnect) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    this.emit('ready');
  }

  async subscribe(channel: string): Promise<number> {
    this.subscribedChannels.push(channel);
    return 1;
  }

  async quit(): Promise<'OK'> {
    this.quitCalls += 1;
    return 'OK';
  }

  disconnect(): void {}

  publish(paymentId: string, channel = CHANNEL): void {
    this.emit('message', channel, JSON.stringify({ paymentId, status: 'CAPTURED' }));
  }
}

class TestSubscriber extends PaymentUpdatesSubscriber {
  readonly clients: FakeRedis[] = [];
  failNextConnect = false;

  protected override createClient(): Redis {
    const client = new FakeRedis();
    client.failConnect = this.failNextConnect;
    this.failNextConnect = false;
    this.clients.push(client);
    return client as unknown as Redis;
  }
}

/** A payments service whose payments change status between reads. */
function fakePayments(): {
  service: PaymentsService;
  statuses: Map<string, string>;
  reads: () => number;
} {
  const statuses = new Map<string, string>([
    [PAYMENT_A, 'PROCESSING'],
    [PAYMENT_B, 'PROCESSING'],
  ]);
  let reads = 0;
  const service = {
    findVisibleOrThrow: async (_caller: AuthUser, id: string): Promise<PaymentEntity> => {
      reads += 1;
      const status = statuses.get(id);
      if (!status) throw new PaymentError(PaymentErrorCode.PAYMENT_NOT_FOUND, 'Payment not found');
      return { id, status } as PaymentEntity;
    },
  } as unknown as PaymentsService;
  return { service, statuses, reads: () => reads };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PaymentUpdatesSubscriber', () => {
  let payments: ReturnType<typeof fakePayments>;
  let subscriber: TestSubscriber;

  beforeEach(() => {
    payments = fakePayments();
    subscriber = new TestSubscriber(CONFIG, payments.service);
  });
  afterEach(async () => subscriber.onApplicationShutdown());

  it('opens one subscriber connection on the prefixed channel, only when the first listener comes', async () => {
    expect(subscriber.clients).toHaveLength(0);
    await subscriber.listen(PAYMENT_A, () => undefined);
    await subscriber.listen(PAYMENT_B, () => undefined);
    expect(subscriber.clients).toHaveLength(1);
    expect(subscriber.clients[0]!.subscribedChannels).toEqual([CHANNEL]);
  });

  it('hands an update only to the listeners of that payment', async () => {
    const heardA: number[] = [];
    const heardB: number[] = [];
    await subscriber.listen(PAYMENT_A, () => heardA.push(1));
    await subscriber.listen(PAYMENT_A, () => heardA.push(2));
    await subscriber.listen(PAYMENT_B, () => heardB.push(1));
    const redis = subscriber.clients[0]!;

    redis.publish(PAYMENT_A);
    redis.publish('00000000-0000-4000-8000-0000000000ff');
    redis.publish(PAYMENT_B, 'someone-else:payment-updated');
    redis.emit('message', CHANNEL, 'not json');

    expect(heardA).toEqual([1, 2]);
    expect(heardB).toEqual([]);
  });

  it('frees the listener when it stops, and forgets the payment with its last listener', async () => {
    const heard: string[] = [];
    const stopFirst = await subscriber.listen(PAYMENT_A, () => heard.push('first'));
    const stopSecond = await subscriber.listen(PAYMENT_A, () => heard.push('second'));
    expect(subscriber.listenerCount(PAYMENT_A)).toBe(2);

    stopFirst();
    stopFirst(); // twice is harmless
    subscriber.clients[0]!.publish(PAYMENT_A);
    expect(heard).toEqual(['second']);
    stopSecond();
    expect(subscriber.listenerCount()).toBe(0);
    subscriber.clients[0]!.publish(PAYMENT_A);
    expect(heard).toEqual(['second']);
  });

  it('answers unavailable and keeps no listener when Redis cannot be reached, then tries again', async () => {
    subscriber.failNextConnect = true;
    const failure = subscriber.listen(PAYMENT_A, () => undefined);
    await expect(failure).rejects.toBeInstanceOf(DomainError);
    await expect(failure).rejects.toMatchObject({ kind: 'unavailable' });
    expect(subscriber.listenerCount()).toBe(0);

    await subscriber.listen(PAYMENT_A, () => undefined);
    expect(subscriber.clients).toHaveLength(2);
    expect(subscriber.listenerCount(PAYMENT_A)).toBe(1);
  });

  it('tells every listener to re-read after Redis reconnects (updates may have been lost)', async () => {
    let heard = 0;
    await subscriber.listen(PAYMENT_A, () => (heard += 1));
    subscriber.clients[0]!.emit('ready');
    expect(heard).toBe(1);
  });

  it('closes its connection on shutdown', async () => {
    await subscriber.listen(PAYMENT_A, () => undefined);
    await subscriber.onApplicationShutdown();
    expect(subscriber.clients[0]!.quitCalls).toBe(1);
  });

  describe('follow', () => {
    it('yields the payment at once, then a fresh read after each of its updates', async () => {
      const stream = await subscriber.follow(CUSTOMER, PAYMENT_A);
      expect((await stream.next()).value).toMatchObject({ id: PAYMENT_A, status: 'PROCESSING' });

      const next = stream.next();
      payments.statuses.set(PAYMENT_A, 'CAPTURED');
      subscriber.clients[0]!.publish(PAYMENT_A);
      expect((await next).value).toMatchObject({ status: 'CAPTURED' });
      await stream.return?.();
    });

    it('ignores updates of other payments', async () => {
      const stream = await subscriber.follow(CUSTOMER, PAYMENT_A);
      await stream.next();
      const readsBefore = payments.reads();
      let settled = false;
      const next = stream.next().then((result) => {
        settled = true;
        return result;
      });
      subscriber.clients[0]!.publish(PAYMENT_B);
      await tick();
      expect(settled).toBe(false);
      expect(payments.reads()).toBe(readsBefore);
      await stream.return?.();
      expect(await next).toEqual({ value: undefined, done: true });
    });

    it('collapses updates that arrive while the client is busy into one read', async () => {
      const stream = await subscriber.follow(CUSTOMER, PAYMENT_A);
      await stream.next();
      const readsBefore = payments.reads();
      for (let i = 0; i < 5; i += 1) subscriber.clients[0]!.publish(PAYMENT_A);
      await stream.next();
      expect(payments.reads()).toBe(readsBefore + 1);
      await stream.return?.();
    });

    it('ends a waiting consumer at once on unsubscribe and frees its listener', async () => {
      const stream = await subscriber.follow(CUSTOMER, PAYMENT_A);
      await stream.next();
      const waiting = stream.next();
      expect(subscriber.listenerCount(PAYMENT_A)).toBe(1);

      await stream.return?.();
      expect(await waiting).toEqual({ value: undefined, done: true });
      expect(subscriber.listenerCount()).toBe(0);
      expect(await stream.next()).toEqual({ value: undefined, done: true });
    });

    it('answers NOT_FOUND for a payment the caller may not see, keeping no listener', async () => {
      await expect(
        subscriber.follow(CUSTOMER, '00000000-0000-4000-8000-0000000000ff'),
      ).rejects.toMatchObject({ code: PaymentErrorCode.PAYMENT_NOT_FOUND });
      expect(subscriber.listenerCount()).toBe(0);
    });

    it('ends the stream and frees its listener when a re-read fails', async () => {
      const stream = await subscriber.follow(CUSTOMER, PAYMENT_A);
      await stream.next();
      payments.statuses.delete(PAYMENT_A);
      subscriber.clients[0]!.publish(PAYMENT_A);
      await expect(stream.next()).rejects.toMatchObject({
        code: PaymentErrorCode.PAYMENT_NOT_FOUND,
      });
      expect(subscriber.listenerCount()).toBe(0);
      expect(await stream.next()).toEqual({ value: undefined, done: true });
    });
  });
});
