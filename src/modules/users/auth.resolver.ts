import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { Public } from '../../common/auth/public.decorator';
import { AnyRole, SessionOnly } from '../../common/auth/roles.decorator';
import { AuthThrottle } from '../../common/throttling/auth-throttle.decorator';
import { AuthService } from './auth.service';
import { ChangePasswordInput, LogInInput, RefreshTokenInput, SignUpInput } from './dto/auth.inputs';
import { AuthPayload, AuthTokens, toAuthTokens } from './models/auth-payload.model';
import { toUserModel } from './models/user.model';
import { UsersService } from './users.service';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in.' })
  @Public()
  @AuthThrottle()
  async signUp(
    @Args('input', { description: 'The new account.' }) input: SignUpInput,
  ): Promise<AuthPayload> {
    await this.users.signUp(input);
    const { user, tokens } = await this.auth.logIn(input.email, input.password);
    return { user: toUserModel(user), tokens: toAuthTokens(tokens) };
  }

  @Mutation(() => AuthPayload, {
    description: 'Signs in with email and password. 10 failures lock the account for 30 minutes.',
  })
  @Public()
  @AuthThrottle()
  async logIn(
    @Args('input', { description: 'Credentials.' }) input: LogInInput,
  ): Promise<AuthPayload> {
    const { user, tokens } = await this.auth.logIn(input.email, input.password);
    return { user: toUserModel(user), tokens: toAuthTokens(tokens) };
  }

  @Mutation(() => AuthTokens, {
    description: 'Exchanges a refresh token for a new pair. A token works once.',
  })
  @Public()
  @AuthThrottle()
  async refreshToken(
    @Args('input', { description: 'The refresh token.' }) input: RefreshTokenInput,
  ): Promise<AuthTokens> {
    return toAuthTokens(await this.auth.refresh(input.refreshToken));
  }

  @Mutation(() => Boolean, { description: 'Ends the session of this refresh token.' })
  @AnyRole()
  @SessionOnly()
  async logOut(
    @CurrentUser() caller: AuthUser,
    @Args('input', { description: 'The session’s refresh token.' }) input: RefreshTokenInput,
  ): Promise<boolean> {
    await this.auth.logOut(caller.userId, input.refreshToken);
    return true;
  }

  @Mutation(() => Boolean, {
    description: 'Ends every session of the caller, access tokens included.',
  })
  @AnyRole()
  @SessionOnly()
  async logOutEverywhere(@CurrentUser() caller: AuthUser): Promise<boolean> {
    await this.auth.logOutEverywhere(caller.userId);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Changes the caller’s password and ends every session.' })
  @AnyRole()
  @SessionOnly()
  async changePassword(
    @CurrentUser() caller: AuthUser,
    @Args('input', { description: 'Current and new password.' }) input: ChangePasswordInput,
  ): Promise<boolean> {
    await this.users.changePassword(caller.userId, input.currentPassword, input.newPassword);
    return true;
  }
}
