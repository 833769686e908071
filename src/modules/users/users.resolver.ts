import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ParseUUIDPipe } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { AnyRole, Roles, SessionOnly } from '../../common/auth/roles.decorator';
import { ChangeUserRoleInput, UsersArgs } from './dto/users.inputs';
import { UpdateProfileInput } from './dto/auth.inputs';
import { User, UserConnection, toUserModel } from './models/user.model';
import { Role } from './role';
import { UserStatus } from './user-status';
import { UsersService } from './users.service';

@Resolver(() => User)
export class UsersResolver {
  constructor(private readonly usersService: UsersService) {}

  @Query(() => User, { description: 'The caller’s own profile.' })
  @AnyRole()
  async me(@CurrentUser() caller: AuthUser): Promise<User> {
    return toUserModel(await this.usersService.findByIdOrThrow(caller.userId));
  }

  @Mutation(() => User, { description: 'Changes the caller’s own profile.' })
  @AnyRole()
  @SessionOnly()
  async updateProfile(
    @CurrentUser() caller: AuthUser,
    @Args('input', { description: 'Fields to change.' }) input: UpdateProfileInput,
  ): Promise<User> {
    return toUserModel(await this.usersService.updateProfile(caller.userId, input));
  }

  @Query(() => User, {
    description: 'One user: staff see anyone, merchants their own members, others themselves.',
  })
  @AnyRole()
  async user(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The user’s id.' }, ParseUUIDPipe) id: string,
  ): Promise<User> {
    return toUserModel(await this.usersService.findVisibleOrThrow(caller, id));
  }

  @Query(() => UserConnection, {
    description: 'Users, newest first. Merchants see only their own members.',
  })
  @Roles(Role.ADMIN, Role.SUPPORT, Role.MERCHANT)
  @SessionOnly()
  async users(@CurrentUser() caller: AuthUser, @Args() args: UsersArgs): Promise<UserConnection> {
    const page = await this.usersService.list(caller, { ...args, first: args.first ?? 20 });
    return {
      ...page,
      edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toUserModel(edge.node) })),
    };
  }

  @Mutation(() => User, {
    description: 'Suspends a user: sign-in refused and every session ended.',
  })
  @Roles(Role.ADMIN)
  @SessionOnly()
  async suspendUser(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The user to suspend.' }, ParseUUIDPipe) id: string,
  ): Promise<User> {
    return toUserModel(await this.usersService.setStatus(caller, id, UserStatus.SUSPENDED));
  }

  @Mutation(() => User, { description: 'Lets a suspended user sign in again.' })
  @Roles(Role.ADMIN)
  @SessionOnly()
  async reactivateUser(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The user to reactivate.' }, ParseUUIDPipe)
    id: string,
  ): Promise<User> {
    return toUserModel(await this.usersService.setStatus(caller, id, UserStatus.ACTIVE));
  }

  @Mutation(() => User, { description: 'Changes a user’s role; their access tokens stop working.' })
  @Roles(Role.ADMIN)
  @SessionOnly()
  async changeUserRole(
    @CurrentUser() caller: AuthUser,
    @Args('input', { description: 'The user and the new role.' }) input: ChangeUserRoleInput,
  ): Promise<User> {
    return toUserModel(
      await this.usersService.changeRole(caller, input.userId, input.role, input.merchantId),
    );
  }
}
