import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { requestOf } from '../../common/auth/request-of';
import type { AuditActor } from './audit.types';

/** The parts of a request an audit record keeps (Fastify's `request.ip` and `request.id`). */
export interface AuditRequestInfo {
  readonly ip?: string;
  readonly id?: string;
}

/**
 * The actor behind a request: an API key is recorded as itself (not the user who created it), so
 * the log says which credential moved the money. Null user: an anonymous caller of a public route.
 */
export function auditActorOf(
  user: AuthUser | null | undefined,
  request?: AuditRequestInfo,
): AuditActor {
  const origin = { ip: request?.ip || undefined, requestId: request?.id || undefined };
  if (!user) return { type: 'anonymous', id: 'anonymous', merchantId: null, ...origin };
  if (user.kind === 'api_key' && user.apiKeyId) {
    return {
      type: 'api_key',
      id: user.apiKeyId,
      role: user.role,
      merchantId: user.merchantId,
      ...origin,
    };
  }
  return { type: 'user', id: user.userId, role: user.role, merchantId: user.merchantId, ...origin };
}

/** A scheduled or queued job acting on its own (`reconcile-payments`, `expire-orders`...). */
export const systemActor = (jobName: string): AuditActor => ({ type: 'system', id: jobName });

/** A gateway telling us something happened (a verified webhook). */
export const gatewayActor = (gatewayCode: string, requestId?: string): AuditActor => ({
  type: 'gateway',
  id: gatewayCode,
  ...(requestId ? { requestId } : {}),
});

/** The AuditActor of the current GraphQL operation or REST route (after the global guard ran). */
export const AuditActorParam = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuditActor => {
    const request = requestOf(context);
    return auditActorOf(request.user, request);
  },
);
