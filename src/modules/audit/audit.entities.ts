import { AuditLogEntity } from './entities/audit-log.entity';

/** The audit log's entities, registered in src/database/entities.ts. */
export const AUDIT_ENTITIES = [AuditLogEntity];
