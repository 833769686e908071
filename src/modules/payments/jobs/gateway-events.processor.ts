import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { GatewayWebhooksService } from '../webhooks/gateway-webhooks.service';
import {
  GATEWAY_EVENTS_QUEUE,
  GatewayEventsJob,
  type ProcessWebhookEventJob,
} from './payment-queues';

/** Applies stored gateway callbacks. Retries with backoff; a job that fails for good stays visible. */
@Processor(GATEWAY_EVENTS_QUEUE)
export class GatewayEventsProcessor {
  private readonly logger = new Logger(GatewayEventsProcessor.name);

  constructor(private readonly webhooks: GatewayWebhooksService) {}

  @Process({ name: GatewayEventsJob.ProcessWebhookEvent, concurrency: 4 })
  async process(job: Job<ProcessWebhookEventJob>): Promise<string> {
    return this.webhooks.process(job.data.eventId);
  }

  @OnQueueFailed()
  async failed(job: Job<ProcessWebhookEventJob>, error: Error): Promise<void> {
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn(
      `Webhook event ${job.data.eventId} failed (try ${job.attemptsMade}${final ? ', giving up' : ''}): ${error.message}`,
    );
    await (
      final
        ? this.webhooks.markFailed(job.data.eventId, error.message)
        : this.webhooks.markAttemptError(job.data.eventId, error.message)
    ).catch(() => undefined);
  }
}
