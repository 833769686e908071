import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';

/**
 * A client's Idempotency-Key for a money-moving call: the first request's fingerprint and stored
 * result, replayed for 24 h. Unique per caller scope (merchant or user) and key, as Stripe does.
 */
@Entity({ name: 'idempotency_keys' })
@Index('uq_idempotency_keys__scope_key', ['scope', 'idempotencyKey'], { unique: true })
@Index('idx_idempotency_keys__expires_at', ['expiresAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 80 })
  scope: string;

  @Column({ type: 'varchar', length: 255 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 40 })
  operation: string;

  /** SHA-256 of the operation and its canonical input. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'varchar', length: 12 })
  status: 'IN_PROGRESS' | 'COMPLETED';

  /** The stored outcome: `{ result }` or `{ error: { code, kind, message, details } }`. */
  @Column({ type: 'mediumtext', nullable: true })
  response: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @Column({ type: 'datetime', precision: 3 })
  expiresAt: Date;
}
