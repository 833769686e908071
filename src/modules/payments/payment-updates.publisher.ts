import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { redisConfig } from '../../config/redis.config';
import type { PaymentEntity } from './entities/payment.entity';

/** What a payment update carries across processes (the subscription re-reads the payment). */
export interface PaymentUpdateMessage {
  readonly paymentId: string;
  readonly status: string;
}

/** Redis pub/sub is not split by database number, so the channel carries the key prefix. */
export const paymentUpdatesChannel = (keyPrefix: string): string => `${keyPrefix}:payment-updated`;

/**
 * Tells every API process that a payment changed, so a checkout page subscribed to it hears at
 * once whichever process (API or worker) applied the change. Best effort: a lost message only
 * delays the page until its next query.
 */
@Injectable()
export class PaymentUpdatesPublisher {
  private readonly logger = new Logger(PaymentUpdatesPublisher.name);
  private readonly channel: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(redisConfig.KEY) config: ConfigType<typeof redisConfig>,
  ) {
    this.channel = paymentUpdatesChannel(config.keyPrefix);
  }

  publish(payment: Pick<PaymentEntity, 'id' | 'status'>): void {
    const message: PaymentUpdateMessage = { paymentId: payment.id, status: payment.status };
    this.redis.publish(this.channel, JSON.stringify(message)).catch((error: Error) => {
      this.logger.warn(`Could not publish the update of payment ${payment.id}: ${error.message}`);
    });
  }
}
