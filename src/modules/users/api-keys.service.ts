import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { forbidden } from '../../common/errors/common.errors';
import type { Connection } from '../../common/graphql/pagination';
import { findKeysetPage } from '../../database/keyset-page';
import { authConfig } from '../../config/auth.config';
import { API_KEY_SCOPES } from './api-key-scopes';
import { ApiKeyEntity } from './entities/api-key.entity';
import { UserEntity } from './entities/user.entity';
import { Role } from './role';
import { UserStatus } from './user-status';
import { UserError, UserErrorCode } from './users.errors';

const KEY_PATTERN = /^prk_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;
const LAST_USED_RESOLUTION_MS = 60_000;

export const isApiKeyToken = (token: string): boolean => token.startsWith('prk_');

@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  /** Creates a key for the caller's merchant. The secret is returned once and never stored. */
  async create(
    caller: AuthUser,
    name: string,
    scopes: string[],
    expiresAt?: Date,
  ): Promise<{ key: ApiKeyEntity; secret: string }> {
    const merchantId = this.merchantOf(caller);
    const unknown = scopes.filter(
      (scope) => !(API_KEY_SCOPES as readonly string[]).includes(scope),
    );
    if (unknown.length > 0) {
      throw new UserError(
        UserErrorCode.API_KEY_UNKNOWN_SCOPE,
        `Unknown scopes: ${unknown.join(', ')}; known: ${API_KEY_SCOPES.join(', ')}`,
      );
    }
    const prefix = randomBytes(8).toString('hex');
    const secret = `prk_${prefix}_${randomBytes(32).toString('base64url')}`;
    const key = this.keys.create({
      id: randomUUID(),
      merchantId,
      name: name.trim(),
      prefix,
      secretHash: this.hash(secret),
      scopes: [...new Set(scopes)],
      createdByUserId: caller.userId,
      expiresAt: expiresAt ?? null,
    });
    await this.keys.insert(key);
    return { key: await this.keys.findOneByOrFail({ id: key.id }), secret };
  }

  async list(caller: AuthUser, first: number, after?: string): Promise<Connection<ApiKeyEntity>> {
    return findKeysetPage(this.keys, { merchantId: this.merchantOf(caller) }, first, after);
  }

  async revoke(caller: AuthUser, id: string): Promise<ApiKeyEntity> {
    const merchantId = this.merchantOf(caller);
    const key = await this.keys.findOneBy({ id, merchantId });
    // Another merchant's key answers exactly like a missing one.
    if (!key) throw new UserError(UserErrorCode.API_KEY_NOT_FOUND, `No API key ${id}`);
    if (!key.revokedAt)
      await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return this.keys.findOneByOrFail({ id });
  }

  /** Turns a presented key into a principal, or refuses it. */
  async authenticate(token: string): Promise<AuthUser> {
    const invalid = new UserError(
      UserErrorCode.API_KEY_INVALID,
      'The API key is invalid, revoked or expired',
    );
    const match = KEY_PATTERN.exec(token);
    if (!match) throw invalid;
    const key = await this.keys.findOneBy({ prefix: match[1] });
    if (!key || !this.matches(token, key.secretHash)) throw invalid;
    const now = new Date();
    if (key.revokedAt || (key.expiresAt && key.expiresAt <= now)) throw invalid;
    const owner = await this.users.findOneBy({ id: key.createdByUserId });
    if (!owner || owner.status !== UserStatus.ACTIVE || owner.merchantId !== key.merchantId)
      throw invalid;
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // Coarse on purpose: one write a minute per key, not one per request.
      await this.keys.update({ id: key.id }, { lastUsedAt: now });
    }
    return {
      kind: 'api_key',
      userId: key.createdByUserId,
      role: Role.MERCHANT,
      merchantId: key.merchantId,
      apiKeyId: key.id,
      scopes: key.scopes,
    };
  }

  private merchantOf(caller: AuthUser): string {
    if (caller.role !== Role.MERCHANT || !caller.merchantId)
      throw forbidden('Only merchant users manage API keys');
    return caller.merchantId;
  }

  private hash(secret: string): string {
    return createHmac('sha256', this.config.apiKeyPepper).update(secret).digest('hex');
  }

  private matches(secret: string, storedHash: string): boolean {
    const actual = Buffer.from(this.hash(secret), 'hex');
    const expected = Buffer.from(storedHash, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
