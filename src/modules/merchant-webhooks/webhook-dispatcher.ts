import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { Repository } from 'typeorm';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import {
  DELIVER_JOB_OPTIONS,
  deliverJobId,
  MERCHANT_WEBHOOKS_QUEUE,
  MerchantWebhookJob,
  type DeliverWebhookJob,
} from './jobs/merchant-webhooks.jobs';
import { WebhookDeliveryStatus } from './webhook-delivery-status';

/** Due deliveries enqueued per dispatcher run; the next run takes the rest. */
export const DISPATCH_BATCH_SIZE = 200;

/**
 * Turns due deliveries into Deliver jobs. Runs on a repeatable job and whenever a writer kicks
 * it after committing; running twice at once is harmless because job ids are per attempt.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private running = false;
  private runAgain = false;

  constructor(
    @InjectQueue(MERCHANT_WEBHOOKS_QUEUE) private readonly queue: Queue,
    @InjectRepository(WebhookDeliveryEntity)
    private readonly deliveries: Repository<WebhookDeliveryEntity>,
  ) {}

  /** Enqueues every due delivery of an enabled endpoint; returns how many were offered. */
  async dispatchDue(now = new Date()): Promise<number> {
    const due = await this.deliveries
      .createQueryBuilder('delivery')
      .innerJoin(
        WebhookEndpointEntity,
        'endpoint',
        'endpoint.id = delivery.endpointId AND endpoint.enabled = :enabled',
        { enabled: true },
      )
      .select(['delivery.id', 'delivery.attemptCount'])
      .where('delivery.status = :pending', { pending: WebhookDeliveryStatus.PENDING })
      .andWhere('delivery.nextAttemptAt <= :now', { now })
      .andWhere('(delivery.lockedUntil IS NULL OR delivery.lockedUntil <= :now)', { now })
      .orderBy('delivery.nextAttemptAt', 'ASC')
      .limit(DISPATCH_BATCH_SIZE)
      .getMany();
    if (due.length === 0) return 0;
    await this.queue.addBulk(
      due.map((delivery) => {
        const data: DeliverWebhookJob = {
          deliveryId: delivery.id,
          attempt: delivery.attemptCount + 1,
        };
        return {
          name: MerchantWebhookJob.Deliver,
          data,
          opts: { ...DELIVER_JOB_OPTIONS, jobId: deliverJobId(data.deliveryId, data.attempt) },
        };
      }),
    );
    return due.length;
  }

  /** Runs the dispatcher now, in the background; kicks during a run cause one more run. */
  kick(): void {
    if (this.running) {
      this.runAgain = true;
      return;
    }
    this.running = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      do {
        this.runAgain = false;
        await this.dispatchDue();
      } while (this.runAgain);
    } catch (error) {
      // The repeatable dispatch picks the deliveries up on its next tick.
      this.logger.warn(`Dispatch after kick failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
