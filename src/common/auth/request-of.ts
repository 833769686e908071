import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user';

export type AppRequest = FastifyRequest & { user?: AuthUser };

/** The HTTP request behind a REST route or a GraphQL operation. */
export function requestOf(context: ExecutionContext): AppRequest {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: AppRequest }>().req;
  }
  return context.switchToHttp().getRequest<AppRequest>();
}

export function replyOf(context: ExecutionContext): FastifyReply {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ reply: FastifyReply }>().reply;
  }
  return context.switchToHttp().getResponse<FastifyReply>();
}
