import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';

/**
 * One refresh token of a rotating family. Only its SHA-256 is stored. Presenting a token that was
 * already rotated (replacedById set) or revoked means theft: the whole family is revoked.
 */
@Entity({ name: 'refresh_tokens' })
@Index('idx_refresh_tokens__family_id', ['familyId'])
@Index('idx_refresh_tokens__user_id', ['userId'])
export class RefreshTokenEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  userId: string;

  @Column({ type: 'char', length: 36 })
  familyId: string;

  @Index('uq_refresh_tokens__token_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  revokedReason: string | null;

  @Column({ type: 'char', length: 36, nullable: true })
  replacedById: string | null;

  @CreatedAtColumn()
  createdAt: Date;
}
