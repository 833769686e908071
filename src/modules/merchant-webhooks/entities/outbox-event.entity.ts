import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One thing a merchant should hear about, written in the same transaction as the change it
 * describes. `sequence` counts 1, 2, 3... per object so receivers can drop stale events.
 */
@Entity({ name: 'outbox_events' })
@Index('uq_outbox_events__object_sequence', ['objectType', 'objectId', 'sequence'], {
  unique: true,
})
@Index('idx_outbox_events__merchant_id_created_at_id', ['merchantId', 'createdAt', 'id'])
export class OutboxEventEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 20 })
  objectType: string;

  @Column({ type: 'varchar', length: 64 })
  objectId: string;

  @Column({ type: 'int', unsigned: true })
  sequence: number;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'json' })
  payload: Record<string, unknown>;

  // Set by the service (not the database) so it is strictly increasing per object.
  @Column({ type: 'datetime', precision: 3 })
  createdAt: Date;
}
