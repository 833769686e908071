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
    BullModule.registerQueue({ name: WALLET_MAINTENANCE_QUEUE }),
    LedgerModule,
    AuditModule,
    UsersModule,
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
  ],
  exports: [WalletsService, WalletTransfersService, WalletHoldsService],
})
export class WalletsModule {}
