import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn } from '../../../database/columns';

export type PaymentEventType = 'AUTHORIZED' | 'CAPTURED' | 'REFUNDED' | 'VOIDED';

/**
 * Append-only money facts about a payment. `uniqueKey` names the fact (e.g. the gateway's capture
 * id or the cumulative captured amount), so the same fact reported twice inserts nothing.
 */
@Entity({ name: 'payment_events' })
@Index('idx_payment_events__payment_id', ['paymentId'])
export class PaymentEventEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  paymentId: string;

  @Column({ type: 'char', length: 36, nullable: true })
  attemptId: string | null;

  @Column({ type: 'char', length: 36, nullable: true })
  refundId: string | null;

  @Column({ type: 'varchar', length: 16 })
  type: PaymentEventType;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Index('uq_payment_events__unique_key', { unique: true })
  @Column({ type: 'varchar', length: 191 })
  uniqueKey: string;

  /** What told us: api, webhook, reconciliation. */
  @Column({ type: 'varchar', length: 16 })
  source: string;

  @CreatedAtColumn()
  createdAt: Date;
}
