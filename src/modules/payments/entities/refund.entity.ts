import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import type { GatewayReference } from '../../../gateways/payment-gateway';
import { RefundStatus } from '../refund-status';

/** Money returned on a captured payment. PENDING and UNKNOWN refunds hold their amount. */
@Entity({ name: 'refunds' })
@Index('idx_refunds__payment_id', ['paymentId'])
@Index('idx_refunds__merchant_id_created_at', ['merchantId', 'createdAt'])
@Index('idx_refunds__status_next_reconcile_at', ['status', 'nextReconcileAt'])
@Index('idx_refunds__gateway_reference', ['gatewayCode', 'gatewayReferenceId'])
export class RefundEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  paymentId: string;

  @Column({ type: 'char', length: 36 })
  attemptId: string;

  @Column({ type: 'char', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 16 })
  gatewayCode: string;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 16 })
  status: RefundStatus;

  @Column({ type: 'varchar', length: 255, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  gatewayReferenceId: string | null;

  @Column({ type: 'simple-json', nullable: true })
  gatewayReference: GatewayReference | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  failureCode: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  failureMessage: string | null;

  @Column({ type: 'smallint', unsigned: true, default: 0 })
  reconcileAttempts: number;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  nextReconcileAt: Date | null;

  @Column({ type: 'boolean', default: false })
  needsReview: boolean;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
