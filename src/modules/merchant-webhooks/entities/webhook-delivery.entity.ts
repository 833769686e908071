import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import { WebhookDeliveryStatus } from '../webhook-delivery-status';
import { OutboxEventEntity } from './outbox-event.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

/** One event owed to one endpoint, with its retry state. */
@Entity({ name: 'webhook_deliveries' })
@Index('uq_webhook_deliveries__event_endpoint', ['eventId', 'endpointId'], { unique: true })
@Index('idx_webhook_deliveries__status_next_attempt_at', ['status', 'nextAttemptAt'])
@Index('idx_webhook_deliveries__merchant_id_created_at_id', ['merchantId', 'createdAt', 'id'])
@Index('idx_webhook_deliveries__endpoint_id_created_at', ['endpointId', 'createdAt'])
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  eventId: string;

  @ManyToOne(() => OutboxEventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_webhook_deliveries__event_id' })
  event?: OutboxEventEntity;

  @Column({ type: 'char', length: 36 })
  endpointId: string;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'endpoint_id',
    foreignKeyConstraintName: 'fk_webhook_deliveries__endpoint_id',
  })
  endpoint?: WebhookEndpointEntity;

  /** Copied from the event, so tenant-scoped lists need no join. */
  @Column({ type: 'char', length: 36 })
  merchantId: string;

  @Column({ type: 'enum', enum: WebhookDeliveryStatus, default: WebhookDeliveryStatus.PENDING })
  status: WebhookDeliveryStatus;

  /** Attempts claimed so far, replays included; the next attempt is number attemptCount + 1. */
  @Column({ type: 'int', unsigned: true, default: 0 })
  attemptCount: number;

  /** attemptCount when the delivery was last replayed: the retry schedule restarts there. */
  @Column({ type: 'int', unsigned: true, default: 0 })
  replayedAtAttempt: number;

  /** When a PENDING delivery is due; null once it is settled. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  /** Lease of the sender holding the delivery; nobody else may send it before then. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'smallint', unsigned: true, nullable: true })
  lastStatusCode: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  deliveredAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
