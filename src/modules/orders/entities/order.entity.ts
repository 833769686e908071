import { Column, Entity, Index, OneToMany, PrimaryColumn, VersionColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import { OrderStatus } from '../order-status';
import { OrderLineItemEntity } from './order-line-item.entity';

/** What a customer owes a merchant. Amounts are integer minor units of `currency`. */
@Entity({ name: 'orders' })
@Index('idx_orders__merchant_id_created_at', ['merchantId', 'createdAt'])
@Index('idx_orders__customer_id_created_at', ['customerId', 'createdAt'])
@Index('idx_orders__status_expires_at', ['status', 'expiresAt'])
@Index('uq_orders__merchant_reference', ['merchantId', 'reference'], { unique: true })
export class OrderEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  merchantId: string;

  /** The customer user who may see and pay it; null for a guest checkout run by the merchant. */
  @Column({ type: 'char', length: 36, nullable: true })
  customerId: string | null;

  /** The merchant's own order number, unique per merchant. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  reference: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description: string | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  totalMinor: number;

  @Column({ type: 'varchar', length: 24 })
  status: OrderStatus;

  @Column({ type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  paidAt: Date | null;

  @OneToMany(() => OrderLineItemEntity, (item) => item.order, { cascade: ['insert'] })
  lineItems?: OrderLineItemEntity[];

  @VersionColumn()
  version: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
