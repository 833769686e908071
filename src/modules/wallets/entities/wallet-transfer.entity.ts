import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn } from '../../../database/columns';

/** One completed wallet-to-wallet transfer; its money moved in ledger journal (wallet.transfer, <id>). */
@Entity({ name: 'wallet_transfers' })
// Daily limits sum a wallet's outgoing transfers since midnight.
@Index('idx_wallet_transfers__from_wallet_id_created_at', ['fromWalletId', 'createdAt'])
@Index('idx_wallet_transfers__to_wallet_id_created_at', ['toWalletId', 'createdAt'])
export class WalletTransferEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  fromWalletId: string;

  @Column({ type: 'char', length: 36 })
  toWalletId: string;

  /** The sender's user id (who asked for it). */
  @Column({ type: 'char', length: 36 })
  initiatedBy: string;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 280, nullable: true })
  note: string | null;

  @CreatedAtColumn()
  createdAt: Date;
}
