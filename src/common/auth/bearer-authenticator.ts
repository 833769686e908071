import passport from 'passport';
import type { ApiKeysService } from '../../modules/users/api-keys.service';
import { isApiKeyToken } from '../../modules/users/api-keys.service';
import { unauthenticated } from '../errors/common.errors';
import type { AuthUser } from './auth-user';
import { bearerOf } from './auth.guard';

/** Runs the registered passport 'jwt' strategy (JwtStrategy) on a token outside any HTTP request. */
function verifyAccessToken(token: string): Promise<AuthUser> {
  // All the strategy reads is the Authorization header, exactly as over HTTP.
  const request = { headers: { authorization: `Bearer ${token}` } };
  return new Promise<AuthUser>((resolve, reject) => {
    const authenticate = passport.authenticate(
      'jwt',
      { session: false },
      (error: unknown, user: AuthUser | false | undefined) => {
        // A failure to check the token (database down) is not a bad token: surface it as itself.
        if (error) reject(error);
        else if (!user) reject(unauthenticated('The access token is missing, invalid or expired'));
        else resolve(user);
      },
    ) as (request: unknown, response: unknown, next: (error?: unknown) => void) => void;
    authenticate(request, {}, (error?: unknown) => reject(error ?? unauthenticated()));
  });
}

/**
 * Checks an `Authorization: Bearer ...` value the way the global guard checks the HTTP header: an
 * API key through ApiKeysService, otherwise an access token through the same JwtStrategy (HS256,
 * issuer, audience, expiry, and the user re-read). Used where there is no HTTP request: graphql-ws.
 */
export async function authenticateBearer(
  authorization: unknown,
  apiKeys: ApiKeysService,
): Promise<AuthUser> {
  const token = typeof authorization === 'string' ? bearerOf(authorization) : undefined;
  if (!token) throw unauthenticated();
  if (isApiKeyToken(token)) return apiKeys.authenticate(token);
  return verifyAccessToken(token);
}
