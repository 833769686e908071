import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn } from '../../../../database/columns';

/**
 * One conversion between two wallets of the same user; its money moved in ledger journal
 * (wallet.fx, <id>). Rate and fee are copied here as they were used.
 */
@Entity({ name: 'wallet_conversions' })
// walletConversions pages a wallet's conversions from either side, newest first.
@Index('idx_wallet_conversions__from_wallet_id_created_at_id', ['fromWalletId', 'createdAt', 'id'])
@Index('idx_wallet_conversions__to_wallet_id_created_at_id', ['toWalletId', 'createdAt', 'id'])
export class WalletConversionEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  /** The owner of both wallets, who asked for it. */
  @Column({ type: 'char', length: 36 })
  userId: string;

  @Column({ type: 'char', length: 36 })
  fromWalletId: string;

  @Column({ type: 'char', length: 36 })
  toWalletId: string;

  @Column({ type: 'char', length: 3 })
  fromCurrency: string;

  @Column({ type: 'char', length: 3 })
  toCurrency: string;

  /** What left the source wallet (source minor units). */
  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  fromAmountMinor: number;

  /** The amount at the rate, rounded down (target minor units). */
  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  grossToMinor: number;

  /** The platform's fee, rounded up (target minor units). */
  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  feeMinor: number;

  /** What reached the target wallet: gross − fee. */
  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  netToMinor: number;

  @Column({ type: 'decimal', precision: 30, scale: 12 })
  rate: string;

  @Column({ type: 'int' })
  feeBps: number;

  @CreatedAtColumn()
  createdAt: Date;
}
