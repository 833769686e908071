import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user';
import { SocketContext } from './socket-context';

export type AppRequest = FastifyRequest & { user?: AuthUser };

/** The context of a GraphQL operation over graphql-ws, or undefined for HTTP and REST. */
export function socketContextOf(context: ExecutionContext): SocketContext | undefined {
  if (context.getType<string>() !== 'graphql') return undefined;
  const value = GqlExecutionContext.create(context).getContext<unknown>();
  return value instanceof SocketContext ? value : undefined;
}

function assertNotSocket(context: ExecutionContext): void {
  // Fail loudly rather than hand back undefined: the caller must handle sockets itself.
  if (socketContextOf(context)) throw new Error('A graphql-ws operation has no HTTP request');
}

/** The HTTP request behind a REST route or a GraphQL operation. */
export function requestOf(context: ExecutionContext): AppRequest {
  if (context.getType<string>() === 'graphql') {
    assertNotSocket(context);
    return GqlExecutionContext.create(context).getContext<{ req: AppRequest }>().req;
  }
  return context.switchToHttp().getRequest<AppRequest>();
}

export function replyOf(context: ExecutionContext): FastifyReply {
  if (context.getType<string>() === 'graphql') {
    assertNotSocket(context);
    return GqlExecutionContext.create(context).getContext<{ reply: FastifyReply }>().reply;
  }
  return context.switchToHttp().getResponse<FastifyReply>();
}
