import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import type { GatewayReference } from '../../../gateways/payment-gateway';
import type { WalletPayoutStatus } from './wallet-payout-status';

/**
 * A withdrawal from a wallet to the outside world (M-Pesa B2C, PayPal Payouts). The amount is held
 * in the wallet (hold reference `payout:<id>`) until the gateway's answer captures it into
 * gateway_clearing:<gateway> (paid) or releases it (failed).
 */
@Entity({ name: 'wallet_payouts' })
@Index('idx_wallet_payouts__wallet_id_created_at', ['walletId', 'createdAt'])
@Index('idx_wallet_payouts__user_id_created_at', ['userId', 'createdAt'])
@Index('idx_wallet_payouts__created_at_id', ['createdAt', 'id'])
// The reconciler finds open payouts that are due a check.
@Index('idx_wallet_payouts__status_next_reconcile_at', ['status', 'nextReconcileAt'])
// Callbacks name the gateway's handle (PayPal's payout_batch_id).
@Index('idx_wallet_payouts__gateway_reference', ['gatewayCode', 'gatewayReferenceId'])
export class WalletPayoutEntity {
  /** Also the gateway's idempotency / originator id (M-Pesa OriginatorConversationID, PayPal sender_batch_id). */
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  walletId: string;

  /** The wallet's owner, who asked for the withdrawal. */
  @Column({ type: 'char', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  gatewayCode: string;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** The payee: an M-Pesa phone (12-digit MSISDN) or a PayPal email. Shown to the owner; logged masked. */
  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  @Column({ type: 'varchar', length: 280, nullable: true })
  note: string | null;

  @Column({ type: 'varchar', length: 12 })
  status: WalletPayoutStatus;

  /** The wallet hold reserving the amount while the payout is open. */
  @Column({ type: 'char', length: 36 })
  holdId: string;

  /** The gateway's primary handle (PayPal payout_batch_id; for M-Pesa our id), for matching callbacks. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  gatewayReferenceId: string | null;

  /** The gateway's handles as it returned them, handed back unchanged for status queries. */
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

  /** A person must look: still open after the last check, or the gateway contradicted a final state. */
  @Column({ type: 'boolean', default: false })
  needsReview: boolean;

  @Column({ type: 'varchar', length: 255, nullable: true })
  reviewReason: string | null;

  /** When it became SUCCEEDED or FAILED. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  settledAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
