import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';
import { MerchantEntity } from '../../users/entities/merchant.entity';
import type { RiskDimension } from '../risk-rule-kinds';

/**
 * A value no payment may use. Only a keyed hash of the normalised value is kept (no raw email,
 * phone or IP at rest), plus a short hint so staff can tell entries apart.
 */
@Entity({ name: 'block_list_entries' })
// Unique per merchant; platform-wide duplicates (NULL merchant) are refused by the service.
@Index(
  'uq_block_list_entries__dimension_value_merchant',
  ['dimension', 'valueHash', 'merchantId'],
  {
    unique: true,
  },
)
@Index('idx_block_list_entries__created_at_id', ['createdAt', 'id'])
export class BlockListEntryEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  /** Null: blocked for every merchant. */
  @Column({ type: 'char', length: 36, nullable: true })
  merchantId: string | null;

  @ManyToOne(() => MerchantEntity, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'merchant_id',
    foreignKeyConstraintName: 'fk_block_list_entries__merchant_id',
  })
  merchant?: MerchantEntity | null;

  @Column({ type: 'varchar', length: 20 })
  dimension: RiskDimension;

  /** HMAC-SHA256 (hex) of `<dimension>:<normalised value>` under the risk pepper. */
  @Column({ type: 'char', length: 64 })
  valueHash: string;

  /** e.g. `…1234`: enough to recognise an entry, too little to recover it. */
  @Column({ type: 'varchar', length: 16 })
  hint: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  /** The actor id (user) who added it. */
  @Column({ type: 'varchar', length: 100 })
  createdBy: string;

  @CreatedAtColumn()
  createdAt: Date;
}
