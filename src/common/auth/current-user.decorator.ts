import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from './auth-user';
import { requestOf, socketContextOf } from './request-of';

/** The authenticated caller (the global guard has already put it on the request or socket context). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser =>
    (socketContextOf(context)?.user ?? requestOf(context).user) as AuthUser,
);
