import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { BlockListEntryEntity } from './entities/block-list-entry.entity';
import { RiskReviewEntity } from './entities/risk-review.entity';
import { RiskRuleEntity } from './entities/risk-rule.entity';
import { riskConfig } from './risk.config';
import { RiskResolver } from './risk.resolver';
import { RiskService } from './risk.service';

/** Payment screening (block list, amount limits, velocity) and manual reviews. */
@Module({
  imports: [
    ConfigModule.forFeature(riskConfig),
    TypeOrmModule.forFeature([RiskRuleEntity, BlockListEntryEntity, RiskReviewEntity]),
    AuditModule,
  ],
  providers: [RiskService, RiskResolver],
  exports: [RiskService],
})
export class RiskModule {}
