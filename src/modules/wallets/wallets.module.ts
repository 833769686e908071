import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { IdempotencyKeyEntity } from '../payments/entities/idempotency-key.entity';
import { IdempotencyService } from '../payments/idempotency/idempotency.service';
import { MerchantEntity } from '../users/entities/merchant.entity';
import { UserEntity } from '../users/entities/user.entity';
import { UsersModule } from '../users/users.module';
import { WALLET_MAINTENANCE_QUEUE } from './jobs/wallet-maintenance.jobs';
import { WalletMaintenanceProcessor } from './jobs/wallet-maintenance.processor';
import { WalletAdjustmentsService } from './wallet-adjustments.service';
import { WalletHoldsService } from './wallet-holds.service';
import { WalletTransfersService } from './wallet-transfers.service';
import { walletsConfig } from './wallets.config';
import { WALLET_ENTITIES } from './wallets.entities';
import { WalletsAdminResolver } from './wallets-admin.resolver';
import { WalletsResolver } from './wallets.resolver';
import { WalletsService } from './wallets.service';
import { FxRatesService } from './fx/fx-rates.service';
import { WalletConversionsService } from './fx/wallet-conversions.service';
import { WalletFxResolver } from './fx/wallet-fx.resolver';
import { GatewaysModule } from '../../gateways/gateways.module';
import { OrdersModule } from '../orders/orders.module';
import { PaymentsModule } from '../payments/payments.module';
import { WalletTopUpsResolver } from './top-ups/wallet-top-ups.resolver';
import { WalletTopUpsService } from './top-ups/wallet-top-ups.service';
import { WalletPaymentGateway } from './wallet-payment.gateway';
import { paymentsConfig } from '../payments/payments.config';
import { WalletPayoutCallbacksService } from './payouts/wallet-payout-callbacks.service';
import { WalletPayoutReconciliationService } from './payouts/wallet-payout-reconciliation.service';
import { WalletPayoutSettlementService } from './payouts/wallet-payout-settlement.service';
import { WalletPayoutsProcessor } from './payouts/wallet-payouts.processor';
import { WalletPayoutsResolver } from './payouts/wallet-payouts.resolver';
import { WalletPayoutsService } from './payouts/wallet-payouts.service';

/**
 * Wallets on top of the ledger: per-user wallets per currency, transfers, holds with expiry and
 * two-person admin adjustments. Its own IdempotencyService instance shares the payments table.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ...WALLET_ENTITIES,
      IdempotencyKeyEntity,
      UserEntity,
      MerchantEntity,
    ]),
    ConfigModule.forFeature(walletsConfig),
    // Payouts reconcile on the payments' schedule (PAYMENT_RECONCILE_SCHEDULE / _INTERVAL_MS).
    ConfigModule.forFeature(paymentsConfig),
    BullModule.registerQueue({ name: WALLET_MAINTENANCE_QUEUE }),
    LedgerModule,
    AuditModule,
    UsersModule,
    // Top-ups are payments, and the wallet registers itself as the payments' `wallet` gateway.
    // PaymentsModule never imports WalletsModule, so there is no cycle.
    GatewaysModule,
    OrdersModule,
    PaymentsModule,
  ],
  providers: [
    WalletsService,
    WalletTransfersService,
    WalletHoldsService,
    WalletAdjustmentsService,
    IdempotencyService,
    WalletMaintenanceProcessor,
    WalletsResolver,
    WalletsAdminResolver,
    FxRatesService,
    WalletConversionsService,
    WalletFxResolver,
    WalletPaymentGateway,
    WalletTopUpsService,
    WalletTopUpsResolver,
    WalletPayoutSettlementService,
    WalletPayoutsService,
    WalletPayoutReconciliationService,
    WalletPayoutCallbacksService,
    WalletPayoutsProcessor,
    WalletPayoutsResolver,
  ],
  exports: [WalletsService, WalletTransfersService, WalletHoldsService],
})
export class WalletsModule {}
