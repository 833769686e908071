import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import type { RiskReviewStatus } from '../risk-review-status';

/** A payment held for manual review: one per payment, resolved once. */
@Entity({ name: 'risk_reviews' })
@Index('idx_risk_reviews__status_created_at', ['status', 'createdAt'])
@Index('idx_risk_reviews__merchant_id_created_at', ['merchantId', 'createdAt'])
@Index('idx_risk_reviews__created_at_id', ['createdAt', 'id'])
export class RiskReviewEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Index('uq_risk_reviews__payment_id', { unique: true })
  @Column({ type: 'char', length: 36 })
  paymentId: string;

  @Column({ type: 'char', length: 36 })
  merchantId: string;

  /** The reason codes of the assessment that held the payment. */
  @Column({ type: 'json' })
  reasons: string[];

  @Column({ type: 'varchar', length: 10 })
  status: RiskReviewStatus;

  /** The actor id of the staff member who resolved it. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
