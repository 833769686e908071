import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from './auth-user';
import { requestOf } from './request-of';

/** The authenticated caller (the global guard has already put it on the request). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => requestOf(context).user as AuthUser,
);
