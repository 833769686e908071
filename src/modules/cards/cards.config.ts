import { registerAs } from '@nestjs/config';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { hkdfSync } from 'node:crypto';
import { registerEnvironmentSchema } from '../../config/env.validation';
import { currentProfile, int, secret } from '../../config/profile';

// Secrets have no defaults in production (APP_PROFILE unset means production).
const isProduction = (env: Record<string, unknown>): boolean =>
  currentProfile({ APP_PROFILE: env.APP_PROFILE as string | undefined }) === 'production';

/** Boot-time validation; property names are the env var names. */
class CardsEnvironmentVariables {
  @IsOptional()
  @Matches(/^\d{6,8}$/, { message: 'CARD_BIN must be 6 to 8 digits' })
  CARD_BIN?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  CARD_VALIDITY_MONTHS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  CARD_MAX_ACTIVE_PER_WALLET?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  CARD_AUTH_HOLD_HOURS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  CARD_NETWORK_TOLERANCE_SECONDS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  CARD_MAX_CVV_FAILURES?: number;

  @ValidateIf(
    (env: Record<string, unknown>) => isProduction(env) || env.CARD_NETWORK_SECRET !== undefined,
  )
  @IsString()
  @MinLength(32, { message: 'CARD_NETWORK_SECRET must be at least 32 characters' })
  CARD_NETWORK_SECRET?: string;

  @ValidateIf((env: Record<string, unknown>) => isProduction(env) || env.CARD_CVV_KEY !== undefined)
  @IsString()
  @MinLength(32, { message: 'CARD_CVV_KEY must be at least 32 characters' })
  CARD_CVV_KEY?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'CARD_PAN_LOOKUP_KEY must be at least 32 characters' })
  CARD_PAN_LOOKUP_KEY?: string;
}

registerEnvironmentSchema({ name: 'cards', when: () => true, schema: CardsEnvironmentVariables });

export interface CardsConfig {
  /** Issuer prefix of every new PAN (6 to 8 digits). */
  readonly bin: string;
  /** A new card expires this many months after issue (at the end of that month). */
  readonly validityMonths: number;
  /** Most cards (active or frozen) one wallet may have. */
  readonly maxActivePerWallet: number;
  /** How long an approved authorization's hold lasts without a capture. */
  readonly authorizationHoldHours: number;
  /** Key of the HMAC the card network signs its calls with. */
  readonly networkSecret: string;
  /** How far a network signature's timestamp may be from now, in seconds. */
  readonly networkToleranceSeconds: number;
  /** Wrong CVVs in 24 hours after which the card declines everything (a guessing attack). */
  readonly maxCvvFailures: number;
  /** Key of the HMAC the CVV is derived from. Changing it changes every card's CVV. */
  readonly cvvKey: string;
  /** Key of the HMAC that fingerprints PANs for lookup. Changing it orphans every card. */
  readonly panLookupKey: string;
}

// Public demo values for development and tests only; production refuses to boot without real ones.
const DEMO_NETWORK_SECRET = 'demo-card-network-secret-change-me-0123456789';
const DEMO_CVV_KEY = 'demo-card-cvv-key-change-me-0123456789abcdef';

function required(name: string, value: string | undefined): string {
  if (!value || value.length < 32) throw new Error(`${name} must be set to at least 32 characters`);
  return value;
}

function bounded(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function readCardsConfig(env: NodeJS.ProcessEnv = process.env): CardsConfig {
  const bin = env.CARD_BIN || '489999';
  if (!/^\d{6,8}$/.test(bin)) throw new Error('CARD_BIN must be 6 to 8 digits');
  const cvvKey = required('CARD_CVV_KEY', secret(env, 'CARD_CVV_KEY', DEMO_CVV_KEY));
  // Without its own key the lookup key is derived from the CVV key, so both stay server secrets.
  const panLookupKey =
    env.CARD_PAN_LOOKUP_KEY ||
    Buffer.from(
      hkdfSync('sha256', cvvKey, 'payrail-cards', 'virtual-card-pan-lookup', 32),
    ).toString('hex');
  return {
    bin,
    validityMonths: bounded('CARD_VALIDITY_MONTHS', int(env.CARD_VALIDITY_MONTHS, 36), 1, 120),
    maxActivePerWallet: bounded(
      'CARD_MAX_ACTIVE_PER_WALLET',
      int(env.CARD_MAX_ACTIVE_PER_WALLET, 5),
      1,
      100,
    ),
    authorizationHoldHours: bounded(
      'CARD_AUTH_HOLD_HOURS',
      int(env.CARD_AUTH_HOLD_HOURS, 168),
      1,
      720,
    ),
    networkSecret: required(
      'CARD_NETWORK_SECRET',
      secret(env, 'CARD_NETWORK_SECRET', DEMO_NETWORK_SECRET),
    ),
    networkToleranceSeconds: bounded(
      'CARD_NETWORK_TOLERANCE_SECONDS',
      int(env.CARD_NETWORK_TOLERANCE_SECONDS, 300),
      1,
      3600,
    ),
    maxCvvFailures: bounded('CARD_MAX_CVV_FAILURES', int(env.CARD_MAX_CVV_FAILURES, 5), 1, 100),
    cvvKey,
    panLookupKey: required('CARD_PAN_LOOKUP_KEY', panLookupKey),
  };
}

export const cardsConfig = registerAs('cards', (): CardsConfig => readCardsConfig(process.env));
