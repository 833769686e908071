import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type Redis from 'ioredis';
import type { AuthUser } from '../../common/auth/auth-user';
import { CommonErrorCode } from '../../common/errors/common.errors';
import { DomainError } from '../../common/errors/domain-error';
import { createRedisClient } from '../../common/redis/redis.module';
import { redisConfig } from '../../config/redis.config';
import type { PaymentEntity } from './entities/payment.entity';
import { PaymentUpdateStream } from './payment-update-stream';
import { paymentUpdatesChannel, type PaymentUpdateMessage } from './payment-updates.publisher';
import { PaymentsService } from './payments.service';

/** Told that its payment changed; it re-reads the payment rather than trusting the message. */
export type PaymentUpdateListener = () => void;

function paymentIdOf(raw: string): string | undefined {
  try {
    const message = JSON.parse(raw) as Partial<PaymentUpdateMessage> | null;
    return typeof message?.paymentId === 'string' ? message.paymentId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Hears every process's payment updates (PaymentUpdatesPublisher) on one Redis subscriber
 * connection and hands each to this process's listeners for that payment. The connection opens
 * with the first listener, so a worker process, which serves no subscriptions, never opens one.
 */
@Injectable()
export class PaymentUpdatesSubscriber implements OnApplicationShutdown {
  private readonly logger = new Logger(PaymentUpdatesSubscriber.name);
  private readonly channel: string;
  private readonly listeners = new Map<string, Set<PaymentUpdateListener>>();
  private client: Redis | undefined;
  private subscribed: Promise<void> | undefined;
  private shuttingDown = false;

  constructor(
    @Inject(redisConfig.KEY) private readonly config: ConfigType<typeof redisConfig>,
    private readonly payments: PaymentsService,
  ) {
    this.channel = paymentUpdatesChannel(config.keyPrefix);
  }

  /**
   * The payment as the caller may see it now, then again after every committed change, until the
   * consumer stops. NOT_FOUND when the caller may not see it; unavailable when Redis is down.
   */
  async follow(caller: AuthUser, paymentId: string): Promise<AsyncIterableIterator<PaymentEntity>> {
    // Every value is re-read, so what the client sees is the committed truth, never the message.
    const stream = new PaymentUpdateStream(() =>
      this.payments.findVisibleOrThrow(caller, paymentId),
    );
    // Listen before the first read, so no change can fall between the two.
    stream.onClose(await this.listen(paymentId, () => stream.signal()));
    await stream.start();
    return stream;
  }

  /** Calls `listener` for each update of the payment; the returned function stops it. */
  async listen(paymentId: string, listener: PaymentUpdateListener): Promise<() => void> {
    let listeners = this.listeners.get(paymentId);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(paymentId, listeners);
    }
    listeners.add(listener);
    const stop = (): void => {
      const current = this.listeners.get(paymentId);
      if (!current?.delete(listener)) return;
      if (current.size === 0) this.listeners.delete(paymentId);
    };
    try {
      await this.ensureSubscribed();
    } catch (error) {
      stop();
      this.logger.warn(`Cannot hear payment updates: ${(error as Error).message}`);
      throw new DomainError(
        CommonErrorCode.DEPENDENCY_UNAVAILABLE,
        'unavailable',
        'Payment updates are unavailable right now; query the payment instead',
      );
    }
    return stop;
  }

  /** How many listeners this process holds, for one payment or in all. */
  listenerCount(paymentId?: string): number {
    if (paymentId !== undefined) return this.listeners.get(paymentId)?.size ?? 0;
    let count = 0;
    for (const listeners of this.listeners.values()) count += listeners.size;
    return count;
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    const client = this.client;
    this.client = undefined;
    if (client) await client.quit().catch(() => client.disconnect());
  }

  /** A subscriber-mode connection of its own: a subscribed connection can run no other commands. */
  protected createClient(): Redis {
    return createRedisClient(this.config);
  }

  private ensureSubscribed(): Promise<void> {
    this.subscribed ??= this.subscribe().catch((error: unknown) => {
      // The next listener tries again with a new connection.
      this.subscribed = undefined;
      throw error;
    });
    return this.subscribed;
  }

  private async subscribe(): Promise<void> {
    if (this.shuttingDown) throw new Error('the application is shutting down');
    const client = this.createClient();
    let ready = 0;
    // An outage shows in readiness checks and as failed subscriptions, not as a log per retry.
    client.on('error', () => undefined);
    client.on('message', (channel: string, raw: string) => this.dispatch(channel, raw));
    client.on('ready', () => {
      // ioredis subscribes again after a reconnect; anything published in between was lost, so
      // every listener re-reads its payment.
      if (++ready > 1) this.signalEveryone();
    });
    this.client = client;
    try {
      await client.connect();
      await client.subscribe(this.channel);
    } catch (error) {
      if (this.client === client) this.client = undefined;
      client.disconnect();
      throw error;
    }
  }

  private dispatch(channel: string, raw: string): void {
    if (channel !== this.channel) return;
    const paymentId = paymentIdOf(raw);
    if (paymentId === undefined) {
      this.logger.warn('Ignored a malformed payment update message');
      return;
    }
    this.notify(paymentId);
  }

  private signalEveryone(): void {
    for (const paymentId of [...this.listeners.keys()]) this.notify(paymentId);
  }

  private notify(paymentId: string): void {
    // A copy: a listener may stop itself (and so edit the set) while we walk it.
    for (const listener of [...(this.listeners.get(paymentId) ?? [])]) {
      try {
        listener();
      } catch (error) {
        this.logger.error({ err: error }, `A listener of payment ${paymentId} failed`);
      }
    }
  }
}
