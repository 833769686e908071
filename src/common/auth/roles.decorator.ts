import { SetMetadata } from '@nestjs/common';
import { ALL_ROLES, type Role } from '../../modules/users/role';

export const ROLES_KEY = 'payrail:roles';
export const SESSION_ONLY_KEY = 'payrail:sessionOnly';
export const SCOPES_KEY = 'payrail:scopes';

/** The roles allowed to call this operation. Every non-public operation must declare them. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** Any signed-in caller, whatever the role. */
export const AnyRole = (): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, ALL_ROLES);

/** Refuses API keys: only a user's session may call (managing keys, passwords). */
export const SessionOnly = (): MethodDecorator & ClassDecorator =>
  SetMetadata(SESSION_ONLY_KEY, true);

/** API key scopes this operation needs (users are not scope-limited). */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(SCOPES_KEY, scopes);
