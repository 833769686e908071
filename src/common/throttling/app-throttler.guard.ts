import { Injectable, type ExecutionContext } from '@nestjs/common';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { AppRequest } from '../auth/request-of';
import { replyOf, requestOf, socketContextOf } from '../auth/request-of';
import { rateLimited } from '../errors/common.errors';
import { AUTH_THROTTLE_KEY } from './auth-throttle.decorator';

/**
 * Rate limits for GraphQL operations and REST routes alike. The budget belongs to the caller:
 * the API key or user when authenticated, else the client IP. Over budget: RATE_LIMITED with
 * Retry-After, never an internal error.
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  override getRequestResponse(context: ExecutionContext): {
    req: Record<string, unknown>;
    res: Record<string, unknown>;
  } {
    const socket = socketContextOf(context);
    if (socket) {
      // graphql-ws: no HTTP reply to set headers on; the budget is still the caller's (getTracker).
      const req: Pick<AppRequest, 'user' | 'headers' | 'ip'> = {
        user: socket.user,
        headers: {},
        ip: socket.ip ?? 'unknown',
      };
      return { req: req as unknown as Record<string, unknown>, res: {} };
    }
    const req = requestOf(context) as unknown as Record<string, unknown>;
    const reply = replyOf(context);
    // The throttler sets headers through res.header(); Fastify's reply has it.
    return { req, res: reply as unknown as Record<string, unknown> };
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as AppRequest;
    if (request.user?.apiKeyId) return `key:${request.user.apiKeyId}`;
    if (request.user) return `user:${request.user.userId}`;
    const authorization = request.headers.authorization;
    // Unverified bearer: budget by the token's hash so one client cannot drain another's budget.
    if (authorization)
      return `bearer:${createHash('sha256').update(authorization).digest('hex').slice(0, 32)}`;
    return `ip:${request.ip}`;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.throttler.name === 'auth') {
      const wanted = this.reflector.getAllAndOverride<boolean>(AUTH_THROTTLE_KEY, [
        request.context.getHandler(),
        request.context.getClass(),
      ]);
      if (!wanted) return true;
      // The auth budget always counts per IP: credentials are what is being guessed.
      return super.handleRequest({
        ...request,
        getTracker: async (req) => `ip:${(req as unknown as AppRequest).ip}`,
      });
    }
    return super.handleRequest(request);
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire || detail.timeToExpire);
    if (!socketContextOf(context)) void replyOf(context).header('retry-after', String(retryAfter));
    throw rateLimited(retryAfter);
  }
}
