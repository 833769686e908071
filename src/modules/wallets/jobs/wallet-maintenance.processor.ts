import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Queue } from 'bull';
import { WalletHoldsService } from '../wallet-holds.service';
import { walletsConfig } from '../wallets.config';
import {
  WALLET_MAINTENANCE_QUEUE,
  WALLET_SWEEP_JOB_OPTIONS,
  WalletMaintenanceJob,
} from './wallet-maintenance.jobs';

/**
 * Releases holds past their expiry. Registered by every process (Bull keeps one schedule per job
 * name and interval), run by whichever is free.
 */
@Processor(WALLET_MAINTENANCE_QUEUE)
export class WalletMaintenanceProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(WalletMaintenanceProcessor.name);

  constructor(
    @InjectQueue(WALLET_MAINTENANCE_QUEUE) private readonly queue: Queue,
    private readonly holds: WalletHoldsService,
    @Inject(walletsConfig.KEY) private readonly config: ConfigType<typeof walletsConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const name = WalletMaintenanceJob.ReleaseExpiredHolds;
    const every = this.config.holdSweepMs;
    await this.queue
      .add(name, {}, { ...WALLET_SWEEP_JOB_OPTIONS, repeat: { every }, jobId: `${name}:${every}` })
      .catch((error: Error) => this.logger.warn(`Could not schedule ${name}: ${error.message}`));
  }

  @Process(WalletMaintenanceJob.ReleaseExpiredHolds)
  releaseExpiredHolds(): Promise<number> {
    return this.holds.releaseExpired();
  }
}
