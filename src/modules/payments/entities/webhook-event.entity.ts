import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';

export type WebhookEventStatus = 'RECEIVED' | 'PROCESSED' | 'IGNORED' | 'FAILED';

/** The inbox of verified gateway callbacks: one row per gateway event, whatever the retries. */
@Entity({ name: 'webhook_events' })
@Index('uq_webhook_events__gateway_event', ['gatewayCode', 'gatewayEventId'], { unique: true })
@Index('idx_webhook_events__status_created_at', ['status', 'createdAt'])
export class WebhookEventEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  gatewayCode: string;

  @Column({ type: 'varchar', length: 191 })
  gatewayEventId: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  /** The parsed event (our vocabulary), never the raw body: no secrets or card data are kept. */
  @Column({ type: 'mediumtext' })
  payload: string;

  @Column({ type: 'varchar', length: 12 })
  status: WebhookEventStatus;

  @Column({ type: 'smallint', unsigned: true, default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'char', length: 36, nullable: true })
  paymentId: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  processedAt: Date | null;
}
