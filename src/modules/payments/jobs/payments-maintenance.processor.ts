import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { withTransaction } from '../../../database/transaction';
import { ordersConfig } from '../../orders/orders.config';
import { OrdersService } from '../../orders/orders.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { PaymentsService } from '../payments.service';
import { paymentsConfig } from '../payments.config';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import {
  PAYMENTS_MAINTENANCE_QUEUE,
  PaymentsMaintenanceJob,
  SWEEP_JOB_OPTIONS,
} from './payment-queues';

/**
 * The repeatable sweeps: reconciliation, order expiry, expired idempotency keys. Registered by
 * every process (Bull keeps one schedule per job name and interval), run by whichever is free.
 */
@Processor(PAYMENTS_MAINTENANCE_QUEUE)
export class PaymentsMaintenanceProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(PaymentsMaintenanceProcessor.name);

  constructor(
    @InjectQueue(PAYMENTS_MAINTENANCE_QUEUE) private readonly queue: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reconciliation: ReconciliationService,
    private readonly orders: OrdersService,
    private readonly payments: PaymentsService,
    private readonly idempotency: IdempotencyService,
    @Inject(paymentsConfig.KEY) private readonly config: ConfigType<typeof paymentsConfig>,
    @Inject(ordersConfig.KEY) private readonly ordersSettings: ConfigType<typeof ordersConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const schedules: [PaymentsMaintenanceJob, number][] = [
      [PaymentsMaintenanceJob.Reconcile, this.config.reconcileIntervalMs],
      [PaymentsMaintenanceJob.ExpireOrders, this.ordersSettings.expirySweepMs],
      [PaymentsMaintenanceJob.PurgeIdempotencyKeys, 60 * 60 * 1000],
    ];
    for (const [name, every] of schedules) {
      await this.queue
        .add(name, {}, { ...SWEEP_JOB_OPTIONS, repeat: { every }, jobId: `${name}:${every}` })
        .catch((error: Error) => this.logger.warn(`Could not schedule ${name}: ${error.message}`));
    }
  }

  @Process(PaymentsMaintenanceJob.Reconcile)
  async reconcile(): Promise<unknown> {
    await this.reconciliation.adoptOrphans();
    return this.reconciliation.runDue();
  }

  @Process(PaymentsMaintenanceJob.ExpireOrders)
  async expireOrders(): Promise<number> {
    let expired = 0;
    for (const order of await this.orders.dueForExpiry(new Date(), 200)) {
      const done = await withTransaction(this.dataSource, async (manager) => {
        const result = await this.orders.expire(manager, order.id, (m) =>
          this.payments.hasOpenPayment(m, order.id),
        );
        if (result) await this.payments.recordOrderEvent(manager, result, 'order.expired');
        return result !== null;
      });
      if (done) expired++;
    }
    if (expired > 0) this.payments.kickOutbox();
    return expired;
  }

  @Process(PaymentsMaintenanceJob.PurgeIdempotencyKeys)
  purgeIdempotencyKeys(): Promise<number> {
    return this.idempotency.purgeExpired();
  }
}
