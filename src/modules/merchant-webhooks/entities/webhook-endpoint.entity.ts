import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';

/** Where a merchant wants its events POSTed. The signing secret is kept encrypted. */
@Entity({ name: 'webhook_endpoints' })
@Index('idx_webhook_endpoints__merchant_id_created_at', ['merchantId', 'createdAt'])
export class WebhookEndpointEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** EncryptionService token of the signing secret, bound to this row's id. */
  @Column({ type: 'varchar', length: 512 })
  secretEncrypted: string;

  /** Event types to send (`payment.captured`, `payment.*`); empty means every type. */
  @Column({ type: 'simple-json' })
  eventTypes: string[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
