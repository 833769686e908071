import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits } from '../../../database/columns';
import { OrderEntity } from './order.entity';

/** One line of an order; its total is quantity × unit amount. */
@Entity({ name: 'order_line_items' })
@Index('uq_order_line_items__order_position', ['orderId', 'position'], { unique: true })
export class OrderLineItemEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  orderId: string;

  @ManyToOne(() => OrderEntity, (order) => order.lineItems, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_order_line_items__order' })
  order?: OrderEntity;

  @Column({ type: 'smallint', unsigned: true })
  position: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sku: string | null;

  @Column({ type: 'int', unsigned: true })
  quantity: number;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  unitAmountMinor: number;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  totalMinor: number;
}
