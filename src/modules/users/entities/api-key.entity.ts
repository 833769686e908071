import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';

/** A merchant's server-to-server credential. The secret is shown once; only its hash is kept. */
@Entity({ name: 'api_keys' })
@Index('idx_api_keys__merchant_id_created_at', ['merchantId', 'createdAt'])
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Public lookup part of the key (`prk_<prefix>_<secret>`). */
  @Index('uq_api_keys__prefix', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  prefix: string;

  /** HMAC-SHA256 of the whole key under a server pepper. */
  @Column({ type: 'char', length: 64 })
  secretHash: string;

  @Column({ type: 'simple-json' })
  scopes: string[];

  @Column({ type: 'char', length: 36 })
  createdByUserId: string;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  expiresAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
