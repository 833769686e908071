import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import type { PaymentMethodKind, NextAction } from '../../../gateways/payment-gateway';
import { PaymentStatus } from '../payment-status';

/**
 * The intent to collect one amount for one order. Its status and totals change only under this
 * row's lock (SELECT … FOR UPDATE); the totals are caches of the append-only payment_events.
 */
@Entity({ name: 'payments' })
@Index('idx_payments__merchant_id_created_at', ['merchantId', 'createdAt'])
@Index('idx_payments__customer_id_created_at', ['customerId', 'createdAt'])
@Index('idx_payments__order_id', ['orderId'])
@Index('idx_payments__status_next_reconcile_at', ['status', 'nextReconcileAt'])
export class PaymentEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  orderId: string;

  @Column({ type: 'char', length: 36 })
  merchantId: string;

  @Column({ type: 'char', length: 36, nullable: true })
  customerId: string | null;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 24 })
  status: PaymentStatus;

  @Column({ type: 'varchar', length: 12 })
  captureMode: 'automatic' | 'manual';

  @Column({ type: 'varchar', length: 24 })
  paymentMethod: PaymentMethodKind;

  /** WALLET_BALANCE payments: the payer's wallet the money comes from. */
  @Column({ type: 'char', length: 36, nullable: true })
  payerWalletId: string | null;

  /**
   * Wallet top-ups: the wallet credited when this payment is captured (instead of a merchant
   * balance). Top-ups cannot be refunded: the money may already be spent; withdraw it instead.
   */
  @Column({ type: 'char', length: 36, nullable: true })
  topUpWalletId: string | null;

  /** The attempt now in charge; earlier ones failed over. */
  @Column({ type: 'char', length: 36, nullable: true })
  currentAttemptId: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  gatewayCode: string | null;

  @Column({ type: 'bigint', transformer: bigintMinorUnits, default: 0 })
  authorizedMinor: number;

  @Column({ type: 'bigint', transformer: bigintMinorUnits, default: 0 })
  capturedMinor: number;

  @Column({ type: 'bigint', transformer: bigintMinorUnits, default: 0 })
  refundedMinor: number;

  @Column({ type: 'bigint', transformer: bigintMinorUnits, default: 0 })
  voidedMinor: number;

  @Column({ type: 'simple-json', nullable: true })
  nextAction: NextAction | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  failureCode: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  failureMessage: string | null;

  /** A capture or cancel sent to the gateway and not yet answered: refuses a second one meanwhile. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  pendingOperation: 'capture' | 'cancel' | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  pendingOperationAt: Date | null;

  @Column({ type: 'varchar', length: 500 })
  returnUrl: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  cancelUrl: string | null;

  @Column({ type: 'smallint', unsigned: true, default: 0 })
  reconcileAttempts: number;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  nextReconcileAt: Date | null;

  /** Set when reconciliation gave up or the gateway's truth contradicts ours: a person must look. */
  @Column({ type: 'boolean', default: false })
  needsReview: boolean;

  @Column({ type: 'varchar', length: 255, nullable: true })
  reviewReason: string | null;

  @VersionColumn()
  version: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
