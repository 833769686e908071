import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository, type FindOptionsWhere } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { EncryptionService } from '../../common/crypto/encryption.service';
import type { Connection } from '../../common/graphql/pagination';
import { findKeysetPage } from '../../database/keyset-page';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { normaliseEventTypes } from './event-type-filter';
import { ownMerchantId, visibleMerchantId } from './merchant-scope';
import { merchantWebhooksConfig } from './merchant-webhooks.config';
import { MerchantWebhookError, MerchantWebhookErrorCode } from './merchant-webhooks.errors';
import { generateSigningSecret } from './webhook-signature';
import { assertEndpointUrlAllowed } from './webhook-url-guard';

/** A merchant may register this many endpoints; each event fans out to all of them. */
export const MAX_ENDPOINTS_PER_MERCHANT = 16;

export interface EndpointChanges {
  readonly url?: string;
  readonly enabled?: boolean;
  readonly eventTypes?: readonly string[];
  readonly description?: string | null;
}

// Binds each encrypted secret to its row, so a ciphertext copied to another endpoint is refused.
const secretAad = (endpointId: string): string => `webhook_endpoints:${endpointId}`;

@Injectable()
export class WebhookEndpointsService {
  constructor(
    @Inject(merchantWebhooksConfig.KEY)
    private readonly config: ConfigType<typeof merchantWebhooksConfig>,
    @InjectRepository(WebhookEndpointEntity)
    private readonly endpoints: Repository<WebhookEndpointEntity>,
    private readonly encryption: EncryptionService,
  ) {}

  /** Registers an endpoint for the caller's merchant; the signing secret is returned this once. */
  async create(
    caller: AuthUser,
    input: { url: string; eventTypes?: readonly string[]; description?: string | null },
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const merchantId = ownMerchantId(caller);
    const url = await this.checkUrl(input.url);
    const count = await this.endpoints.countBy({ merchantId });
    if (count >= MAX_ENDPOINTS_PER_MERCHANT) {
      throw new MerchantWebhookError(
        MerchantWebhookErrorCode.WEBHOOK_ENDPOINT_LIMIT_REACHED,
        `A merchant may have at most ${MAX_ENDPOINTS_PER_MERCHANT} webhook endpoints`,
      );
    }
    const id = randomUUID();
    const secret = generateSigningSecret();
    await this.endpoints.insert({
      id,
      merchantId,
      url,
      secretEncrypted: this.encryption.encrypt(secret, secretAad(id)),
      eventTypes: normaliseEventTypes(input.eventTypes),
      enabled: true,
      description: input.description?.trim() || null,
    });
    return { endpoint: await this.endpoints.findOneByOrFail({ id }), secret };
  }

  /** Newest first: a merchant sees its own, staff every merchant's (or one's). */
  async list(
    caller: AuthUser,
    first: number,
    after?: string,
    merchantId?: string,
  ): Promise<Connection<WebhookEndpointEntity>> {
    const visible = visibleMerchantId(caller, merchantId);
    const where: FindOptionsWhere<WebhookEndpointEntity> = visible ? { merchantId: visible } : {};
    return findKeysetPage(this.endpoints, where, first, after);
  }

  async update(
    caller: AuthUser,
    id: string,
    changes: EndpointChanges,
  ): Promise<WebhookEndpointEntity> {
    const endpoint = await this.findOwnOrThrow(caller, id);
    const patch: Partial<WebhookEndpointEntity> = {};
    if (changes.url !== undefined) patch.url = await this.checkUrl(changes.url);
    if (changes.enabled !== undefined) patch.enabled = changes.enabled;
    if (changes.eventTypes !== undefined)
      patch.eventTypes = normaliseEventTypes(changes.eventTypes);
    if (changes.description !== undefined) patch.description = changes.description?.trim() || null;
    if (Object.keys(patch).length > 0) await this.endpoints.update({ id: endpoint.id }, patch);
    return this.endpoints.findOneByOrFail({ id: endpoint.id });
  }

  /** Replaces the signing secret at once; the new one is returned this once. */
  async rotateSecret(
    caller: AuthUser,
    id: string,
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const endpoint = await this.findOwnOrThrow(caller, id);
    const secret = generateSigningSecret();
    await this.endpoints.update(
      { id: endpoint.id },
      { secretEncrypted: this.encryption.encrypt(secret, secretAad(endpoint.id)) },
    );
    return { endpoint: await this.endpoints.findOneByOrFail({ id: endpoint.id }), secret };
  }

  /** Removes the endpoint with its deliveries and their attempt logs (foreign keys cascade). */
  async delete(caller: AuthUser, id: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.findOwnOrThrow(caller, id);
    await this.endpoints.delete({ id: endpoint.id });
    return endpoint;
  }

  /** An endpoint of the caller's own merchant; another merchant's answers like a missing one. */
  async findOwnOrThrow(caller: AuthUser, id: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.endpoints.findOneBy({ id, merchantId: ownMerchantId(caller) });
    if (!endpoint) throw notFound(id);
    return endpoint;
  }

  /** An endpoint of the given merchant. */
  async findOfMerchantOrThrow(merchantId: string, id: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.endpoints.findOneBy({ id, merchantId });
    if (!endpoint) throw notFound(id);
    return endpoint;
  }

  async findEnabledOfMerchant(merchantId: string): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.findBy({ merchantId, enabled: true });
  }

  findById(id: string): Promise<WebhookEndpointEntity | null> {
    return this.endpoints.findOneBy({ id });
  }

  /** The plaintext signing secret, for the sender only. */
  signingSecretOf(endpoint: WebhookEndpointEntity): string {
    return this.encryption.decrypt(endpoint.secretEncrypted, secretAad(endpoint.id));
  }

  private async checkUrl(raw: string): Promise<string> {
    const url = await assertEndpointUrlAllowed(raw, {
      allowPrivate: this.config.allowPrivateUrls,
    });
    return url.toString();
  }
}

const notFound = (id: string) =>
  new MerchantWebhookError(
    MerchantWebhookErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND,
    `No webhook endpoint ${id}`,
  );
