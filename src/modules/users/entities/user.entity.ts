import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import { Role } from '../role';
import { UserStatus } from '../user-status';
import { MerchantEntity } from './merchant.entity';

@Entity({ name: 'users' })
@Index('idx_users__created_at_id', ['createdAt', 'id'])
export class UserEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  /** Stored lower-cased; unique. */
  @Index('uq_users__email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'enum', enum: Role })
  role: Role;

  @Column({ type: 'enum', enum: UserStatus, default: UserStatus.ACTIVE })
  status: UserStatus;

  @Column({ type: 'char', length: 36, nullable: true })
  merchantId: string | null;

  @ManyToOne(() => MerchantEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_users__merchant_id' })
  merchant?: MerchantEntity | null;

  @Column({ type: 'int', default: 0 })
  failedLoginCount: number;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  lockedUntil: Date | null;

  /** Bumped on password change, suspension and role change: access tokens carrying an older value die. */
  @Column({ type: 'int', default: 0 })
  tokenVersion: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
