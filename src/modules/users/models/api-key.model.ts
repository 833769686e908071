import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import type { ApiKeyEntity } from '../entities/api-key.entity';

@ObjectType('ApiKey', {
  description: 'A merchant API key (its secret is never shown again after creation).',
})
export class ApiKey {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field({ description: 'A label chosen by the merchant.' })
  name: string;

  @Field({
    description: 'The public start of the key (`prk_<prefix>_…`), to recognise it in logs.',
  })
  prefix: string;

  @Field(() => [String], { description: 'What the key may do.' })
  scopes: string[];

  @Field(() => Date, {
    nullable: true,
    description: 'Last time the key authenticated (minute resolution).',
  })
  lastUsedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the key was revoked; null while active.',
  })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key stops working by itself.' })
  expiresAt: Date | null;

  @Field({ description: 'When the key was created.' })
  createdAt: Date;
}

@ObjectType('ApiKeyConnection', { description: 'A page of API keys.' })
export class ApiKeyConnection extends Paginated(ApiKey, 'ApiKey') {}

@ObjectType('CreatedApiKey', { description: 'A new API key with its secret, shown this once.' })
export class CreatedApiKey {
  @Field(() => ApiKey, { description: 'The key record.' })
  apiKey: ApiKey;

  @Field({
    description:
      'The full secret to send as `Authorization: Bearer <secret>`. Store it now: it is not kept.',
  })
  secret: string;
}

export const toApiKeyModel = (entity: ApiKeyEntity): ApiKey => ({
  id: entity.id,
  name: entity.name,
  prefix: `prk_${entity.prefix}`,
  scopes: entity.scopes,
  lastUsedAt: entity.lastUsedAt,
  revokedAt: entity.revokedAt,
  expiresAt: entity.expiresAt,
  createdAt: entity.createdAt,
});
