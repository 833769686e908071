import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import type { AccessTokenClaims } from '../../common/auth/jwt.strategy';
import { authConfig } from '../../config/auth.config';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { UserEntity } from './entities/user.entity';
import { decoyHash, verifyPassword } from './password-hasher';
import { UserStatus } from './user-status';
import { UserError, UserErrorCode } from './users.errors';
import { normalizeEmail } from './users.service';

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

// One message for unknown email, wrong password, suspended and locked: it reveals nothing.
const INVALID_CREDENTIALS = 'Invalid email or password, or the account is temporarily locked';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
  ) {}

  async logIn(email: string, password: string): Promise<{ user: UserEntity; tokens: TokenPair }> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOneBy({ email: normalizeEmail(email) });
    if (!user) {
      await verifyPassword(password, await decoyHash());
      throw new UserError(UserErrorCode.USER_INVALID_CREDENTIALS, INVALID_CREDENTIALS);
    }
    const now = new Date();
    if (user.lockedUntil && user.lockedUntil > now) {
      // Still verify, so a locked account answers as slowly as any other.
      await verifyPassword(password, user.passwordHash);
      throw new UserError(UserErrorCode.USER_INVALID_CREDENTIALS, INVALID_CREDENTIALS);
    }
    const valid = await verifyPassword(password, user.passwordHash);
    if (!valid) {
      await this.recordFailedLogin(user.id);
      throw new UserError(UserErrorCode.USER_INVALID_CREDENTIALS, INVALID_CREDENTIALS);
    }
    if (user.status !== UserStatus.ACTIVE) {
      throw new UserError(UserErrorCode.USER_INVALID_CREDENTIALS, INVALID_CREDENTIALS);
    }
    if (user.failedLoginCount > 0 || user.lockedUntil) {
      await this.dataSource
        .getRepository(UserEntity)
        .update({ id: user.id }, { failedLoginCount: 0, lockedUntil: null });
    }
    const tokens = await this.dataSource.transaction((manager) =>
      this.issue(manager, user, randomUUID()),
    );
    return { user, tokens };
  }

  /**
   * Rotates a refresh token. A token already rotated or revoked is a stolen or replayed one:
   * its whole family is revoked and the caller must sign in again.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(RefreshTokenEntity, {
        where: { tokenHash: sha256(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) return { error: UserErrorCode.AUTH_REFRESH_TOKEN_INVALID } as const;
      if (row.revokedAt || row.replacedById) {
        await this.revokeFamily(manager, row.familyId, 'reuse_detected');
        return { error: UserErrorCode.AUTH_REFRESH_TOKEN_REUSED, userId: row.userId } as const;
      }
      if (row.expiresAt <= new Date())
        return { error: UserErrorCode.AUTH_REFRESH_TOKEN_INVALID } as const;
      const user = await manager.findOneBy(UserEntity, { id: row.userId });
      if (!user || user.status !== UserStatus.ACTIVE) {
        await this.revokeFamily(manager, row.familyId, 'user_inactive');
        return { error: UserErrorCode.AUTH_REFRESH_TOKEN_INVALID } as const;
      }
      const tokens = await this.issue(manager, user, row.familyId, row.id);
      return { tokens } as const;
    });
    if ('tokens' in outcome && outcome.tokens) return outcome.tokens;
    if (outcome.error === UserErrorCode.AUTH_REFRESH_TOKEN_REUSED) {
      this.logger.warn(
        { userId: outcome.userId },
        'Refresh token reuse detected; token family revoked',
      );
      throw new UserError(
        outcome.error,
        'This refresh token was already used; every session of its family is revoked. Sign in again.',
      );
    }
    throw new UserError(
      UserErrorCode.AUTH_REFRESH_TOKEN_INVALID,
      'The refresh token is invalid or expired',
    );
  }

  /** Ends the session the refresh token belongs to. Unknown tokens are ignored (logging out twice is fine). */
  async logOut(userId: string, refreshToken: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOneBy(RefreshTokenEntity, {
        tokenHash: sha256(refreshToken),
        userId,
      });
      if (row) await this.revokeFamily(manager, row.familyId, 'logout');
    });
  }

  /** Ends every session of the user, access tokens included. */
  async logOutEverywhere(userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(UserEntity, { id: userId }, { tokenVersion: () => 'token_version + 1' });
      await manager.update(
        RefreshTokenEntity,
        { userId, revokedAt: IsNull() },
        { revokedAt: new Date(), revokedReason: 'logout_all' },
      );
    });
  }

  private async recordFailedLogin(userId: string): Promise<void> {
    // One atomic statement: the failure that reaches the limit locks the account and restarts the count.
    // locked_until is assigned first so it reads the count before this failure under any SQL mode.
    const limit = this.config.maxFailedLogins;
    await this.dataSource.query(
      `UPDATE users
          SET locked_until = IF(failed_login_count + 1 >= ?, DATE_ADD(UTC_TIMESTAMP(3), INTERVAL ? SECOND), locked_until),
              failed_login_count = IF(failed_login_count + 1 >= ?, 0, failed_login_count + 1)
        WHERE id = ?`,
      [limit, this.config.lockoutSeconds, limit, userId],
    );
  }

  private async revokeFamily(
    manager: EntityManager,
    familyId: string,
    reason: string,
  ): Promise<void> {
    await manager.update(
      RefreshTokenEntity,
      { familyId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  private async issue(
    manager: EntityManager,
    user: UserEntity,
    familyId: string,
    previousId?: string,
  ): Promise<TokenPair> {
    const now = Date.now();
    const claims: AccessTokenClaims = {
      sub: user.id,
      role: user.role,
      mid: user.merchantId,
      ver: user.tokenVersion,
      typ: 'access',
    };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: this.config.accessSecret,
      algorithm: 'HS256',
      issuer: this.config.issuer,
      audience: this.config.audience,
      expiresIn: this.config.accessTtlSeconds,
      jwtid: randomUUID(),
    });
    const id = randomUUID();
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    const refreshTokenExpiresAt = new Date(now + this.config.refreshTtlSeconds * 1000);
    await manager.insert(RefreshTokenEntity, {
      id,
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: refreshTokenExpiresAt,
    });
    if (previousId)
      await manager.update(RefreshTokenEntity, { id: previousId }, { replacedById: id });
    return {
      accessToken,
      accessTokenExpiresAt: new Date(now + this.config.accessTtlSeconds * 1000),
      refreshToken,
      refreshTokenExpiresAt,
    };
  }
}
