import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { Roles, SessionOnly } from '../../common/auth/roles.decorator';
import { PageArgs } from '../../common/graphql/pagination';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyInput } from './dto/users.inputs';
import { ApiKey, ApiKeyConnection, CreatedApiKey, toApiKeyModel } from './models/api-key.model';
import { Role } from './role';

@Resolver(() => ApiKey)
export class ApiKeysResolver {
  constructor(private readonly apiKeysService: ApiKeysService) {}

  @Mutation(() => CreatedApiKey, {
    description: 'Creates an API key for the caller’s merchant; the secret is shown once.',
  })
  @Roles(Role.MERCHANT)
  @SessionOnly()
  async createApiKey(
    @CurrentUser() caller: AuthUser,
    @Args('input', { description: 'Name and scopes.' }) input: CreateApiKeyInput,
  ): Promise<CreatedApiKey> {
    const { key, secret } = await this.apiKeysService.create(
      caller,
      input.name,
      input.scopes,
      input.expiresAt,
    );
    return { apiKey: toApiKeyModel(key), secret };
  }

  @Query(() => ApiKeyConnection, { description: 'The caller’s merchant’s API keys, newest first.' })
  @Roles(Role.MERCHANT)
  @SessionOnly()
  async apiKeys(
    @CurrentUser() caller: AuthUser,
    @Args() args: PageArgs,
  ): Promise<ApiKeyConnection> {
    const page = await this.apiKeysService.list(caller, args.first ?? 20, args.after);
    return {
      ...page,
      edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toApiKeyModel(edge.node) })),
    };
  }

  @Mutation(() => ApiKey, {
    description: 'Revokes one of the caller’s merchant’s API keys at once.',
  })
  @Roles(Role.MERCHANT)
  @SessionOnly()
  async revokeApiKey(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The key to revoke.' }, ParseUUIDPipe) id: string,
  ): Promise<ApiKey> {
    return toApiKeyModel(await this.apiKeysService.revoke(caller, id));
  }
}
