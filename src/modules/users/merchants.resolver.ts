import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { RequireScopes, Roles, SessionOnly } from '../../common/auth/roles.decorator';
import { PageArgs } from '../../common/graphql/pagination';
import { forbidden } from '../../common/errors/common.errors';
import { CreateMerchantInput } from './dto/users.inputs';
import { Merchant, MerchantConnection, toMerchantModel } from './models/merchant.model';
import { Role } from './role';
import { UsersService } from './users.service';

@Resolver(() => Merchant)
export class MerchantsResolver {
  constructor(private readonly users: UsersService) {}

  @Query(() => Merchant, {
    description: 'The caller’s own merchant (merchant users and API keys).',
  })
  @Roles(Role.MERCHANT)
  @RequireScopes('merchant:read')
  async myMerchant(@CurrentUser() caller: AuthUser): Promise<Merchant> {
    if (!caller.merchantId) throw forbidden('You belong to no merchant');
    return toMerchantModel(await this.users.findMerchantOrThrow(caller.merchantId));
  }

  @Query(() => Merchant, {
    description: 'One merchant: staff see any, merchant users only their own.',
  })
  @Roles(Role.ADMIN, Role.SUPPORT, Role.MERCHANT)
  @RequireScopes('merchant:read')
  async merchant(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The merchant’s id.' }, ParseUUIDPipe) id: string,
  ): Promise<Merchant> {
    return toMerchantModel(await this.users.findVisibleMerchantOrThrow(caller, id));
  }

  @Query(() => MerchantConnection, { description: 'All merchants, newest first (staff only).' })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async merchants(@Args() args: PageArgs): Promise<MerchantConnection> {
    const page = await this.users.listMerchants(args.first ?? 20, args.after);
    return {
      ...page,
      edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toMerchantModel(edge.node) })),
    };
  }

  @Mutation(() => Merchant, { description: 'Creates a merchant organisation (admins).' })
  @Roles(Role.ADMIN)
  @SessionOnly()
  async createMerchant(
    @Args('input', { description: 'The merchant.' }) input: CreateMerchantInput,
  ): Promise<Merchant> {
    return toMerchantModel(await this.users.createMerchant(input.name));
  }
}
