import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Queue } from 'bull';
import { merchantWebhooksConfig } from '../merchant-webhooks.config';
import {
  dispatchJobOptions,
  MERCHANT_WEBHOOKS_QUEUE,
  MerchantWebhookJob,
} from './merchant-webhooks.jobs';

/** Registers the repeatable dispatch job (one schedule however many processes start). */
@Injectable()
export class DispatchScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(DispatchScheduler.name);

  constructor(
    @InjectQueue(MERCHANT_WEBHOOKS_QUEUE) private readonly queue: Queue,
    @Inject(merchantWebhooksConfig.KEY)
    private readonly config: ConfigType<typeof merchantWebhooksConfig>,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: a Redis outage at boot must not stop the API from starting.
    this.schedule().catch((error: unknown) =>
      this.logger.error(`Could not schedule the webhook dispatcher: ${(error as Error).message}`),
    );
  }

  async schedule(): Promise<void> {
    // A schedule left by a process with another interval would keep running beside ours.
    for (const job of await this.queue.getRepeatableJobs()) {
      if (job.name === MerchantWebhookJob.Dispatch && Number(job.every) !== this.config.pollMs)
        await this.queue.removeRepeatableByKey(job.key);
    }
    await this.queue.add(MerchantWebhookJob.Dispatch, {}, dispatchJobOptions(this.config.pollMs));
  }
}
