import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Queue } from 'bull';
import { paymentsConfig } from '../../payments/payments.config';
import {
  WALLET_MAINTENANCE_QUEUE,
  WALLET_SWEEP_JOB_OPTIONS,
  WalletMaintenanceJob,
} from '../jobs/wallet-maintenance.jobs';
import {
  type PayoutReconcileReport,
  WalletPayoutReconciliationService,
} from './wallet-payout-reconciliation.service';

/**
 * Reconciles open withdrawals every PAYMENT_RECONCILE_INTERVAL_MS on the wallet-maintenance queue.
 * Registered by every process (Bull keeps one schedule per job name and interval).
 */
@Processor(WALLET_MAINTENANCE_QUEUE)
export class WalletPayoutsProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(WalletPayoutsProcessor.name);

  constructor(
    @InjectQueue(WALLET_MAINTENANCE_QUEUE) private readonly queue: Queue,
    private readonly reconciliation: WalletPayoutReconciliationService,
    @Inject(paymentsConfig.KEY) private readonly payments: ConfigType<typeof paymentsConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const name = WalletMaintenanceJob.ReconcilePayouts;
    const every = this.payments.reconcileIntervalMs;
    await this.queue
      .add(name, {}, { ...WALLET_SWEEP_JOB_OPTIONS, repeat: { every }, jobId: `${name}:${every}` })
      .catch((error: Error) => this.logger.warn(`Could not schedule ${name}: ${error.message}`));
  }

  @Process(WalletMaintenanceJob.ReconcilePayouts)
  reconcilePayouts(): Promise<PayoutReconcileReport> {
    return this.reconciliation.runDue();
  }
}
