import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** The log of one POST: what was sent when, and what came back. */
@Entity({ name: 'webhook_delivery_attempts' })
@Index('uq_webhook_delivery_attempts__delivery_attempt', ['deliveryId', 'attemptNumber'], {
  unique: true,
})
export class WebhookDeliveryAttemptEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  deliveryId: string;

  @ManyToOne(() => WebhookDeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'delivery_id',
    foreignKeyConstraintName: 'fk_webhook_delivery_attempts__delivery_id',
  })
  delivery?: WebhookDeliveryEntity;

  @Column({ type: 'int', unsigned: true })
  attemptNumber: number;

  @Column({ type: 'datetime', precision: 3 })
  startedAt: Date;

  @Column({ type: 'int', unsigned: true })
  durationMs: number;

  @Column({ type: 'smallint', unsigned: true, nullable: true })
  statusCode: number | null;

  /** The start of the response body, truncated. */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  responseBody: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}
