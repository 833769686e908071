import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One thing someone did, appended and never changed. Database triggers (see the migration) refuse
 * UPDATE and DELETE, so not even a bug in this codebase can rewrite history.
 */
@Entity({ name: 'audit_log' })
@Index('idx_audit_log__occurred_at_id', ['occurredAt', 'id'])
@Index('idx_audit_log__object_type_object_id_occurred_at', ['objectType', 'objectId', 'occurredAt'])
@Index('idx_audit_log__actor_id_occurred_at', ['actorId', 'occurredAt'])
@Index('idx_audit_log__merchant_id_occurred_at', ['merchantId', 'occurredAt'])
@Index('idx_audit_log__action_occurred_at', ['action', 'occurredAt'])
export class AuditLogEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'datetime', precision: 3 })
  occurredAt: Date;

  /** user | api_key | system | gateway | anonymous */
  @Column({ type: 'varchar', length: 16 })
  actorType: string;

  /** User id, API key id, job name or gateway code. */
  @Column({ type: 'varchar', length: 100 })
  actorId: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  actorRole: string | null;

  @Column({ type: 'char', length: 36, nullable: true })
  merchantId: string | null;

  /** Long enough for an IPv6 address with a zone. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  requestId: string | null;

  @Column({ type: 'varchar', length: 100 })
  action: string;

  @Column({ type: 'varchar', length: 50 })
  objectType: string;

  @Column({ type: 'varchar', length: 100 })
  objectId: string;

  @Column({ type: 'json', nullable: true })
  details: Record<string, unknown> | null;
}
