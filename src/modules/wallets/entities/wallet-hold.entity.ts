import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import type { WalletHoldStatus } from '../wallet-hold-status';

/**
 * Money reserved in a wallet: it stays in the wallet's ledger account but is not available to
 * spend until captured (paid out), released, or expired.
 */
@Entity({ name: 'wallet_holds' })
// The caller's reference makes placing a hold idempotent per wallet.
@Index('uq_wallet_holds__wallet_id_reference', ['walletId', 'reference'], { unique: true })
// Available balance sums a wallet's active, unexpired holds.
@Index('idx_wallet_holds__wallet_id_status_expires_at', ['walletId', 'status', 'expiresAt'])
// The sweep finds active holds past their expiry.
@Index('idx_wallet_holds__status_expires_at', ['status', 'expiresAt'])
@Index('idx_wallet_holds__created_at_id', ['createdAt', 'id'])
export class WalletHoldEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  walletId: string;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  amountMinor: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintMinorUnits })
  capturedAmountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 10 })
  status: WalletHoldStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  /** The caller's reference (e.g. `card-auth:<id>`): unique per wallet. */
  @Column({ type: 'varchar', length: 200 })
  reference: string;

  @Column({ type: 'datetime', precision: 3 })
  expiresAt: Date;

  /** The ledger account a capture paid into. */
  @Column({ type: 'char', length: 36, nullable: true })
  capturedToAccountId: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  settledAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
