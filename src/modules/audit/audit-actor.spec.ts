import type { AuthUser } from '../../common/auth/auth-user';
import { Role } from '../users/role';
import { auditActorOf, gatewayActor, systemActor } from './audit-actor';

describe('audit actors', () => {
  const request = { ip: '198.51.100.4', id: 'req-123' };

  it('records a signed-in user with role, merchant, IP and request id', () => {
    const user: AuthUser = { kind: 'user', userId: 'u1', role: Role.MERCHANT, merchantId: 'm1' };
    expect(auditActorOf(user, request)).toEqual({
      type: 'user',
      id: 'u1',
      role: Role.MERCHANT,
      merchantId: 'm1',
      ip: '198.51.100.4',
      requestId: 'req-123',
    });
  });

  it('records an API key as itself, not as the user who created it', () => {
    const key: AuthUser = {
      kind: 'api_key',
      userId: 'u1',
      apiKeyId: 'k1',
      role: Role.MERCHANT,
      merchantId: 'm1',
      scopes: ['payments:write'],
    };
    expect(auditActorOf(key, request)).toMatchObject({ type: 'api_key', id: 'k1' });
  });

  it('records an anonymous caller of a public operation', () => {
    expect(auditActorOf(undefined, request)).toMatchObject({ type: 'anonymous', ip: request.ip });
  });

  it('names jobs and gateways', () => {
    expect(systemActor('reconcile-payments')).toEqual({ type: 'system', id: 'reconcile-payments' });
    expect(gatewayActor('mpesa', 'req-9')).toEqual({
      type: 'gateway',
      id: 'mpesa',
      requestId: 'req-9',
    });
  });
});
