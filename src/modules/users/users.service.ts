import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull, type FindOptionsWhere, Repository } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { forbidden } from '../../common/errors/common.errors';
import type { Connection } from '../../common/graphql/pagination';
import { findKeysetPage } from '../../database/keyset-page';
import { MerchantEntity } from './entities/merchant.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { UserEntity } from './entities/user.entity';
import { hashPassword, verifyPassword } from './password-hasher';
import { Role, STAFF_ROLES } from './role';
import { USER_STATUS_TRANSITIONS, UserStatus } from './user-status';
import { UserError, UserErrorCode } from './users.errors';

export interface SignUpData {
  email: string;
  password: string;
  name: string;
  phone?: string;
  /** When given, the user becomes a MERCHANT and the owner of a new merchant of this name. */
  merchantName?: string;
}

export interface UserFilter {
  role?: Role;
  status?: UserStatus;
  merchantId?: string;
  first: number;
  after?: string;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(MerchantEntity) private readonly merchants: Repository<MerchantEntity>,
  ) {}

  async signUp(data: SignUpData): Promise<UserEntity> {
    const email = normalizeEmail(data.email);
    const passwordHash = await hashPassword(data.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        let merchantId: string | null = null;
        if (data.merchantName) {
          merchantId = randomUUID();
          await manager.insert(MerchantEntity, { id: merchantId, name: data.merchantName.trim() });
        }
        const user = manager.create(UserEntity, {
          id: randomUUID(),
          email,
          passwordHash,
          name: data.name.trim(),
          phone: data.phone ?? null,
          role: merchantId ? Role.MERCHANT : Role.CUSTOMER,
          merchantId,
        });
        await manager.insert(UserEntity, user);
        return manager.findOneByOrFail(UserEntity, { id: user.id });
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') {
        throw new UserError(
          UserErrorCode.USER_EMAIL_TAKEN,
          'An account with this email already exists',
        );
      }
      throw error;
    }
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  /** The user behind an access token, if still active and the token's version is current. */
  async findActiveForToken(userId: string, tokenVersion: number): Promise<UserEntity | null> {
    const user = await this.users.findOneBy({ id: userId });
    if (!user || user.status !== UserStatus.ACTIVE || user.tokenVersion !== tokenVersion)
      return null;
    return user;
  }

  async findByIdOrThrow(id: string): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new UserError(UserErrorCode.USER_NOT_FOUND, `No user ${id}`);
    return user;
  }

  /** A user as one caller may see it: staff see all, merchants their own members, others themselves. */
  async findVisibleOrThrow(caller: AuthUser, id: string): Promise<UserEntity> {
    const user = await this.findByIdOrThrow(id);
    const visible =
      STAFF_ROLES.includes(caller.role) ||
      user.id === caller.userId ||
      (caller.role === Role.MERCHANT &&
        caller.merchantId !== null &&
        user.merchantId === caller.merchantId);
    // Same answer as a missing user: never confirm that another tenant's id exists.
    if (!visible) throw new UserError(UserErrorCode.USER_NOT_FOUND, `No user ${id}`);
    return user;
  }

  async updateProfile(
    userId: string,
    changes: { name?: string; phone?: string | null },
  ): Promise<UserEntity> {
    const patch: Partial<UserEntity> = {};
    if (changes.name !== undefined) patch.name = changes.name.trim();
    if (changes.phone !== undefined) patch.phone = changes.phone;
    if (Object.keys(patch).length > 0) await this.users.update({ id: userId }, patch);
    return this.findByIdOrThrow(userId);
  }

  /** Changes the password and ends every other session (refresh families revoked, access tokens invalidated). */
  async changePassword(
    userId: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const user = await this.findByIdOrThrow(userId);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new UserError(UserErrorCode.USER_WRONG_PASSWORD, 'The current password is wrong');
    }
    const passwordHash = await hashPassword(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        UserEntity,
        { id: userId },
        { passwordHash, tokenVersion: () => 'token_version + 1' },
      );
      await manager.update(
        RefreshTokenEntity,
        { userId, revokedAt: IsNull() },
        { revokedAt: new Date(), revokedReason: 'password_changed' },
      );
    });
  }

  async list(caller: AuthUser, filter: UserFilter): Promise<Connection<UserEntity>> {
    const where: FindOptionsWhere<UserEntity> = {};
    if (filter.role) where.role = filter.role;
    if (filter.status) where.status = filter.status;
    if (caller.role === Role.MERCHANT) {
      if (!caller.merchantId) throw forbidden('You belong to no merchant');
      where.merchantId = caller.merchantId;
    } else if (filter.merchantId) {
      where.merchantId = filter.merchantId;
    }
    return findKeysetPage(this.users, where, filter.first, filter.after);
  }

  async setStatus(caller: AuthUser, userId: string, status: UserStatus): Promise<UserEntity> {
    if (caller.userId === userId) {
      throw new UserError(
        UserErrorCode.USER_CANNOT_CHANGE_SELF,
        'You cannot change your own status',
      );
    }
    const user = await this.findByIdOrThrow(userId);
    if (user.status === status) return user;
    if (!USER_STATUS_TRANSITIONS[user.status].includes(status)) {
      throw new UserError(
        UserErrorCode.USER_INVALID_STATUS_CHANGE,
        `Cannot go from ${user.status} to ${status}`,
      );
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        UserEntity,
        { id: userId },
        { status, tokenVersion: () => 'token_version + 1' },
      );
      if (status === UserStatus.SUSPENDED) {
        await manager.update(
          RefreshTokenEntity,
          { userId, revokedAt: IsNull() },
          { revokedAt: new Date(), revokedReason: 'suspended' },
        );
      }
    });
    return this.findByIdOrThrow(userId);
  }

  async changeRole(
    caller: AuthUser,
    userId: string,
    role: Role,
    merchantId?: string,
  ): Promise<UserEntity> {
    if (caller.userId === userId) {
      throw new UserError(UserErrorCode.USER_CANNOT_CHANGE_SELF, 'You cannot change your own role');
    }
    const user = await this.findByIdOrThrow(userId);
    const targetMerchantId = role === Role.MERCHANT ? (merchantId ?? user.merchantId) : null;
    if (role === Role.MERCHANT) {
      if (!targetMerchantId) {
        throw new UserError(
          UserErrorCode.USER_MERCHANT_REQUIRED,
          'A MERCHANT user must belong to a merchant: give merchantId',
        );
      }
      await this.findMerchantOrThrow(targetMerchantId);
    }
    await this.users.update(
      { id: userId },
      { role, merchantId: targetMerchantId, tokenVersion: () => 'token_version + 1' },
    );
    return this.findByIdOrThrow(userId);
  }

  async createMerchant(name: string): Promise<MerchantEntity> {
    const id = randomUUID();
    await this.merchants.insert({ id, name: name.trim() });
    return this.merchants.findOneByOrFail({ id });
  }

  async findMerchantOrThrow(id: string): Promise<MerchantEntity> {
    const merchant = await this.merchants.findOneBy({ id });
    if (!merchant) throw new UserError(UserErrorCode.MERCHANT_NOT_FOUND, `No merchant ${id}`);
    return merchant;
  }

  /** Tenant-scoped read: a merchant user sees only its own merchant; staff see any. */
  async findVisibleMerchantOrThrow(caller: AuthUser, id: string): Promise<MerchantEntity> {
    if (!STAFF_ROLES.includes(caller.role) && caller.merchantId !== id) {
      throw new UserError(UserErrorCode.MERCHANT_NOT_FOUND, `No merchant ${id}`);
    }
    return this.findMerchantOrThrow(id);
  }

  listMerchants(first: number, after?: string): Promise<Connection<MerchantEntity>> {
    return findKeysetPage(this.merchants, {}, first, after);
  }
}
