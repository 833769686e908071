import { registerAs } from '@nestjs/config';
import { int } from './profile';

export interface RateLimitConfig {
  /** Requests per window per client (user id, API key or IP). */
  readonly limit: number;
  readonly windowSeconds: number;
  /** Stricter budget for login/sign-up/refresh per IP. */
  readonly authLimit: number;
  readonly authWindowSeconds: number;
}

export const rateLimitConfig = registerAs('rateLimit', (): RateLimitConfig => ({
  limit: int(process.env.RATE_LIMIT, 300),
  windowSeconds: int(process.env.RATE_LIMIT_WINDOW_SECONDS, 60),
  authLimit: int(process.env.RATE_LIMIT_AUTH, 20),
  authWindowSeconds: int(process.env.RATE_LIMIT_AUTH_WINDOW_SECONDS, 60),
}));
