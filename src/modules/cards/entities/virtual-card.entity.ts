import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import { WalletEntity } from '../../wallets/entities/wallet.entity';
import type { VirtualCardStatus } from '../virtual-card-status';

/**
 * A virtual card spending from one wallet. The PAN is stored only encrypted (bound to this row's
 * id) and as an HMAC fingerprint for lookup; the CVV is never stored, only derived.
 */
@Entity({ name: 'virtual_cards' })
// The network finds a card by the fingerprint of the number it sends.
@Index('uq_virtual_cards__pan_fingerprint', ['panFingerprint'], { unique: true })
// A wallet's cards, newest first, and the per-wallet cap on open cards.
@Index('idx_virtual_cards__wallet_id_created_at', ['walletId', 'createdAt'])
@Index('idx_virtual_cards__created_at_id', ['createdAt', 'id'])
export class VirtualCardEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  walletId: string;

  @ManyToOne(() => WalletEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'wallet_id', foreignKeyConstraintName: 'fk_virtual_cards__wallet_id' })
  wallet?: WalletEntity;

  /** The wallet owner's user id (copied so visibility checks need no join). */
  @Column({ type: 'char', length: 36 })
  userId: string;

  /** The wallet's currency: the only one the card accepts. */
  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Network brand, from the BIN (VISA, MASTERCARD...). */
  @Column({ type: 'varchar', length: 20 })
  brand: string;

  /** EncryptionService token of the full PAN, bound to this row's id. */
  @Column({ type: 'varchar', length: 255 })
  numberEncrypted: string;

  /** Hex HMAC-SHA256 of the PAN under the lookup key. */
  @Column({ type: 'char', length: 64 })
  panFingerprint: string;

  @Column({ type: 'char', length: 4 })
  last4: string;

  @Column({ type: 'tinyint', unsigned: true })
  expMonth: number;

  @Column({ type: 'smallint', unsigned: true })
  expYear: number;

  @Column({ type: 'varchar', length: 10 })
  status: VirtualCardStatus;

  /** True when staff froze it: then only an admin may unfreeze it. */
  @Column({ type: 'boolean', default: false })
  frozenByStaff: boolean;

  /** Most one authorization may ask for, in minor units; null means no limit. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintMinorUnits })
  perTransactionLimitMinor: number | null;

  /** Most the card may authorize per UTC day, in minor units; null means no limit. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintMinorUnits })
  dailyLimitMinor: number | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  label: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  closedAt: Date | null;
}
