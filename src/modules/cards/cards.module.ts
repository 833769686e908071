import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { WalletsModule } from '../wallets/wallets.module';
import { CardAuthorizationsService } from './card-authorizations.service';
import { CardNetworkController } from './card-network.controller';
import { cardsConfig } from './cards.config';
import { CARD_ENTITIES } from './cards.entities';
import { VirtualCardsResolver } from './virtual-cards.resolver';
import { VirtualCardsService } from './virtual-cards.service';

/**
 * Virtual cards on wallets: issuing and managing cards over GraphQL, and the card network's REST
 * endpoint that authorizes (a wallet hold), captures (ledger) and reverses. EncryptionService
 * comes from the global EncryptionModule.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(CARD_ENTITIES),
    ConfigModule.forFeature(cardsConfig),
    WalletsModule,
    LedgerModule,
    AuditModule,
  ],
  controllers: [CardNetworkController],
  providers: [VirtualCardsService, CardAuthorizationsService, VirtualCardsResolver],
  exports: [VirtualCardsService, CardAuthorizationsService],
})
export class VirtualCardsModule {}
