import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiKeysService, isApiKeyToken } from '../../modules/users/api-keys.service';
import type { Role } from '../../modules/users/role';
import { forbidden, unauthenticated } from '../errors/common.errors';
import type { AuthUser } from './auth-user';
import { IS_PUBLIC_KEY } from './public.decorator';
import { requestOf, socketContextOf } from './request-of';
import { ROLES_KEY, SCOPES_KEY, SESSION_ONLY_KEY } from './roles.decorator';

class JwtPassportGuard extends AuthGuard('jwt') {
  override getRequest(context: ExecutionContext): unknown {
    return requestOf(context);
  }

  override handleRequest<T>(error: unknown, user: T): T {
    // A failure to check the token (database down) is not a bad token: let it surface as itself.
    if (error) throw error;
    if (!user) throw unauthenticated('The access token is missing, invalid or expired');
    return user;
  }
}

export function bearerOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)$/i.exec(value ?? '');
  return match?.[1];
}

/**
 * The one global guard: an operation is open only if it says `@Public()`; otherwise the caller must
 * authenticate (JWT or API key) and hold one of its `@Roles()`. An operation declaring neither is
 * refused for everyone, so a forgotten decorator fails closed.
 */
@Injectable()
export class GlobalAuthGuard implements CanActivate {
  private readonly jwt = new JwtPassportGuard();

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.length === 0)
      throw forbidden('This operation declares no roles and is closed');

    let user: AuthUser;
    const socket = socketContextOf(context);
    if (socket) {
      // graphql-ws: the connection's token was checked again as this operation started.
      if (!socket.user) throw socket.authError ?? unauthenticated();
      user = socket.user;
    } else {
      const request = requestOf(context);
      const token = bearerOf(request.headers.authorization);
      if (!token) throw unauthenticated();
      if (isApiKeyToken(token)) {
        user = await this.apiKeys.authenticate(token);
      } else {
        await this.jwt.canActivate(context);
        user = request.user as AuthUser;
      }
      request.user = user;
    }

    if (!roles.includes(user.role))
      throw forbidden(`This operation needs one of the roles: ${roles.join(', ')}`);
    if (user.kind === 'api_key') {
      if (this.reflector.getAllAndOverride<boolean>(SESSION_ONLY_KEY, targets)) {
        throw forbidden('API keys cannot call this operation; sign in as a user');
      }
      const scopes =
        this.reflector.getAllAndOverride<string[] | undefined>(SCOPES_KEY, targets) ?? [];
      const missing = scopes.filter((scope) => !user.scopes?.includes(scope));
      if (missing.length > 0)
        throw forbidden(`The API key lacks the scopes: ${missing.join(', ')}`);
    }
    return true;
  }
}
