import { registerAs } from '@nestjs/config';
import { int, secret } from '../../config/profile';

export interface RiskConfig {
  /**
   * Key of the HMAC that turns block-listed values and velocity counter keys into opaque hashes.
   * Changing it orphans every block-list entry (they no longer match), so treat it as permanent.
   */
  readonly hashPepper: string;
  /** How long assess() waits for Redis before failing safe to review. */
  readonly redisTimeoutMs: number;
}

const DEMO_PEPPER = 'demo-risk-pepper-change-me-0123456789abcdef';

export const riskConfig = registerAs('risk', (): RiskConfig => {
  const hashPepper = secret(process.env, 'RISK_HASH_PEPPER', DEMO_PEPPER);
  // Secrets have no defaults in production: refuse to boot rather than hash with a public key.
  if (!hashPepper || hashPepper.length < 32) {
    throw new Error('RISK_HASH_PEPPER must be set to at least 32 characters');
  }
  return { hashPepper, redisTimeoutMs: int(process.env.RISK_REDIS_TIMEOUT_MS, 1_000) };
});
