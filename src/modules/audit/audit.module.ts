import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';
import { AuditLogEntity } from './entities/audit-log.entity';

/** The append-only audit log: every money-moving and admin action is recorded here. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity])],
  providers: [AuditService, AuditResolver],
  exports: [AuditService],
})
export class AuditModule {}
