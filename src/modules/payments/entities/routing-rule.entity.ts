import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn } from '../../../database/columns';

/**
 * Sends matching payments to a gateway. Lower priority numbers are tried first; rules sharing a
 * priority split traffic by weight. Empty conditions match everything.
 */
@Entity({ name: 'routing_rules' })
@Index('idx_routing_rules__merchant_id_priority', ['merchantId', 'priority'])
export class RoutingRuleEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'int' })
  priority: number;

  @Column({ type: 'varchar', length: 16 })
  gatewayCode: string;

  @Column({ type: 'char', length: 3, nullable: true })
  currency: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  paymentMethod: string | null;

  @Column({ type: 'bigint', transformer: bigintMinorUnits, nullable: true })
  minAmountMinor: number | null;

  @Column({ type: 'bigint', transformer: bigintMinorUnits, nullable: true })
  maxAmountMinor: number | null;

  /** ISO 3166-1 alpha-2 of the customer. */
  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  /** Share of traffic among rules of the same priority (1-100). */
  @Column({ type: 'smallint', unsigned: true, default: 100 })
  weight: number;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreatedAtColumn()
  createdAt: Date;
}
