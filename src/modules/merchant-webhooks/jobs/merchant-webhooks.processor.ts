import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { WebhookDeliveriesService } from '../webhook-deliveries.service';
import { WebhookDispatcher } from '../webhook-dispatcher';
import {
  MERCHANT_WEBHOOKS_QUEUE,
  MerchantWebhookJob,
  type DeliverWebhookJob,
} from './merchant-webhooks.jobs';

/** Unpacks merchant-webhook jobs; the services do the work. */
@Processor(MERCHANT_WEBHOOKS_QUEUE)
export class MerchantWebhooksProcessor {
  private readonly logger = new Logger(MerchantWebhooksProcessor.name);

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Process({ name: MerchantWebhookJob.Dispatch, concurrency: 1 })
  async dispatch(): Promise<void> {
    await this.dispatcher.dispatchDue();
  }

  // Merchants' servers are slow more often than not: several sends run side by side.
  @Process({ name: MerchantWebhookJob.Deliver, concurrency: 10 })
  async deliver(job: Job<DeliverWebhookJob>): Promise<void> {
    await this.deliveries.deliver(job.data.deliveryId, job.data.attempt);
  }

  // A merchant's failures are logged per attempt by the service; this is for our own (database down).
  @OnQueueFailed()
  onFailed(job: Job, error: Error): void {
    this.logger.error(`Job ${job.name} ${String(job.id)} failed: ${error.message}`);
  }
}
