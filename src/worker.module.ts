import './modules/orders/orders.config';
import './modules/payments/payments.config';
import './modules/wallets/wallets.config';
import { Module } from '@nestjs/common';
import { CoreModule } from './core.module';
import { AuditModule } from './modules/audit/audit.module';
import { LedgerModule } from './modules/ledger/ledger.module';
import { MerchantWebhooksModule } from './modules/merchant-webhooks/merchant-webhooks.module';
import { PaymentsModule } from './modules/payments/payments.module';
import { RiskModule } from './modules/risk/risk.module';
import { WalletsModule } from './modules/wallets/wallets.module';

/**
 * The queue worker: the core plus every module that owns a Bull processor. The API process runs
 * the same processors too (Bull shares jobs between processes), so a lone API still works.
 */
@Module({
  imports: [
    CoreModule,
    LedgerModule,
    MerchantWebhooksModule,
    RiskModule,
    AuditModule,
    PaymentsModule,
    WalletsModule,
  ],
})
export class WorkerModule {}
