import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import { UserEntity } from '../../users/entities/user.entity';
import type { WalletStatus } from '../wallet-status';

/**
 * A user's wallet in one currency. The money itself is the ledger account
 * user_wallet:<id>:<currency>; this row carries status and limits, and is the lock every
 * movement of that money takes first.
 */
@Entity({ name: 'wallets' })
@Index('uq_wallets__user_id_currency', ['userId', 'currency'], { unique: true })
@Index('idx_wallets__created_at_id', ['createdAt', 'id'])
export class WalletEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_wallets__user_id' })
  user?: UserEntity;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 10 })
  status: WalletStatus;

  /** Most the wallet may send per UTC day, in minor units. */
  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  dailyTransferLimitMinor: number;

  /** Most one transfer may send, in minor units. */
  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  maxTransferMinor: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
