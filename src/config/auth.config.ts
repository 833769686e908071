import { registerAs } from '@nestjs/config';
import { int, secret } from './profile';

export interface AuthConfig {
  readonly accessSecret: string;
  /** Server-side pepper for API key hashes. */
  readonly apiKeyPepper: string;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  readonly maxFailedLogins: number;
  readonly lockoutSeconds: number;
}

export const authConfig = registerAs('auth', (): AuthConfig => ({
  // Validation (env.validation.ts) refuses to boot when these are missing in production.
  accessSecret: secret(
    process.env,
    'JWT_ACCESS_SECRET',
    'demo-access-secret-change-me-0123456789abcdef',
  )!,
  apiKeyPepper: secret(
    process.env,
    'API_KEY_PEPPER',
    'demo-api-key-pepper-change-me-0123456789abcdef',
  )!,
  issuer: process.env.JWT_ISSUER ?? 'payrail',
  audience: process.env.JWT_AUDIENCE ?? 'payrail-api',
  accessTtlSeconds: int(process.env.JWT_ACCESS_TTL_SECONDS, 900),
  refreshTtlSeconds: int(process.env.JWT_REFRESH_TTL_SECONDS, 30 * 24 * 3600),
  maxFailedLogins: int(process.env.AUTH_MAX_FAILED_LOGINS, 10),
  lockoutSeconds: int(process.env.AUTH_LOCKOUT_SECONDS, 30 * 60),
}));
