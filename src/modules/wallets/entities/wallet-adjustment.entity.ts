import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import type { WalletAdjustmentStatus } from '../wallet-adjustment-status';

/** A manual credit (positive) or debit (negative) of a wallet, posted only after a second admin approves. */
@Entity({ name: 'wallet_adjustments' })
@Index('idx_wallet_adjustments__status_created_at', ['status', 'createdAt'])
@Index('idx_wallet_adjustments__wallet_id_created_at', ['walletId', 'createdAt'])
@Index('idx_wallet_adjustments__created_at_id', ['createdAt', 'id'])
export class WalletAdjustmentEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  walletId: string;

  /** Signed minor units: positive credits the wallet, negative debits it. */
  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 10 })
  status: WalletAdjustmentStatus;

  /** User id of the admin who proposed it. */
  @Column({ type: 'char', length: 36 })
  proposedBy: string;

  /** User id of the admin who approved or rejected it. */
  @Column({ type: 'char', length: 36, nullable: true })
  decidedBy: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  decisionNote: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
