import type { Role } from '../../modules/users/role';

/** Who is calling: a signed-in user or a merchant API key. Resolvers receive this, never a token. */
export interface AuthUser {
  readonly kind: 'user' | 'api_key';
  /** User id, or for an API key the id of the user who created it. */
  readonly userId: string;
  readonly role: Role;
  readonly merchantId: string | null;
  /** For API keys: the key's id and scopes. */
  readonly apiKeyId?: string;
  readonly scopes?: readonly string[];
}
