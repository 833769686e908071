import 'reflect-metadata';
import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { secret as demoOr } from '../../config/profile';
import { credentialRequired } from '../gateways-enabled';
import { defaultGatewayBaseUrl } from '../simulator-ports';

export const STRIPE_DEFAULT_BASE_URL = 'https://api.stripe.com';
export const STRIPE_DEFAULT_TIMEOUT_MS = 10_000;
export const STRIPE_DEFAULT_MAX_RETRIES = 2;
export const STRIPE_DEFAULT_RETRY_BASE_DELAY_MS = 500;
export const STRIPE_DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** The keys outside production: what `npm run simulators` starts Stripe's simulator with. Never live. */
export const STRIPE_DEMO_CREDENTIALS = {
  secretKey: 'sk_test_payrail_demo',
  webhookSecret: 'whsec_payrail_demo',
} as const;

// Checked when set; required when Stripe is enabled in production (demo keys elsewhere).
const stripeCredential = credentialRequired('stripe');

export interface StripeConfig {
  /** `https://api.stripe.com` (test and live share it; the key picks the mode) or a simulator URL. */
  readonly baseUrl: string;
  /** `sk_test_...` / `sk_live_...` (or a restricted `rk_...`). */
  readonly secretKey: string;
  /** The endpoint's `whsec_...` signing secret. */
  readonly webhookSecret: string;
  /** Pins `Stripe-Version`; the account default applies when absent. */
  readonly apiVersion?: string;
  readonly timeoutMs: number;
  /** Extra tries for GETs and for keyed POSTs answered 409/429/5xx. */
  readonly maxRetries: number;
  readonly retryBaseDelayMs?: number;
  /** Oldest accepted `t=` in a Stripe-Signature, in seconds. */
  readonly webhookToleranceSeconds?: number;
}

/** Boot-time validation; property names are the env var names. */
export class StripeEnvironmentVariables {
  @ValidateIf(stripeCredential)
  @IsString()
  @IsNotEmpty()
  @Matches(/^(sk|rk)_(test|live)_\S+$/, {
    message: 'STRIPE_SECRET_KEY must be an sk_test_/sk_live_ (or rk_) key',
  })
  STRIPE_SECRET_KEY: string;

  @ValidateIf(stripeCredential)
  @IsString()
  @IsNotEmpty()
  @Matches(/^whsec_\S+$/, { message: 'STRIPE_WEBHOOK_SECRET must be the endpoint whsec_ secret' })
  STRIPE_WEBHOOK_SECRET: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  STRIPE_BASE_URL?: string = STRIPE_DEFAULT_BASE_URL;

  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}(\.\w+)?$/)
  STRIPE_API_VERSION?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  STRIPE_TIMEOUT_MS?: number = STRIPE_DEFAULT_TIMEOUT_MS;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  STRIPE_MAX_RETRIES?: number = STRIPE_DEFAULT_MAX_RETRIES;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600)
  STRIPE_WEBHOOK_TOLERANCE_SECONDS?: number = STRIPE_DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
}

function integer(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? parsed : fallback;
}

// Stray whitespace or a newline in a pasted secret is the classic Stripe signature failure.
const secret = (value: string | undefined): string => (value ?? '').trim();

export const stripeConfig = registerAs('stripe', (): StripeConfig => ({
  baseUrl: process.env.STRIPE_BASE_URL || defaultGatewayBaseUrl('stripe', STRIPE_DEFAULT_BASE_URL),
  secretKey: secret(demoOr(process.env, 'STRIPE_SECRET_KEY', STRIPE_DEMO_CREDENTIALS.secretKey)),
  webhookSecret: secret(
    demoOr(process.env, 'STRIPE_WEBHOOK_SECRET', STRIPE_DEMO_CREDENTIALS.webhookSecret),
  ),
  apiVersion: process.env.STRIPE_API_VERSION || undefined,
  timeoutMs: integer(process.env.STRIPE_TIMEOUT_MS, STRIPE_DEFAULT_TIMEOUT_MS),
  maxRetries: integer(process.env.STRIPE_MAX_RETRIES, STRIPE_DEFAULT_MAX_RETRIES),
  retryBaseDelayMs: STRIPE_DEFAULT_RETRY_BASE_DELAY_MS,
  webhookToleranceSeconds: integer(
    process.env.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
    STRIPE_DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  ),
}));
