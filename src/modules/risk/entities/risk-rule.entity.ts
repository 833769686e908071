import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import { MerchantEntity } from '../../users/entities/merchant.entity';
import type { RiskAction, RiskDimension, RiskRuleType } from '../risk-rule-kinds';

/**
 * A check run on every payment attempt. VELOCITY rules use dimension, maxCount and windowSeconds;
 * AMOUNT_LIMIT rules use currency, maxAmountMinor and minAmountMinor. The other fields stay null.
 */
@Entity({ name: 'risk_rules' })
@Index('idx_risk_rules__merchant_id_enabled', ['merchantId', 'enabled'])
@Index('idx_risk_rules__created_at_id', ['createdAt', 'id'])
export class RiskRuleEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  /** Null: the rule applies to every merchant. */
  @Column({ type: 'char', length: 36, nullable: true })
  merchantId: string | null;

  @ManyToOne(() => MerchantEntity, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_risk_rules__merchant_id' })
  merchant?: MerchantEntity | null;

  @Column({ type: 'varchar', length: 20 })
  type: RiskRuleType;

  @Column({ type: 'varchar', length: 20, nullable: true })
  dimension: RiskDimension | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  maxCount: number | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  windowSeconds: number | null;

  @Column({ type: 'char', length: 3, nullable: true })
  currency: string | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintMinorUnits })
  maxAmountMinor: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintMinorUnits })
  minAmountMinor: number | null;

  @Column({ type: 'varchar', length: 10 })
  action: RiskAction;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'varchar', length: 500 })
  description: string;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
