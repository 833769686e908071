import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { registerEnvironmentSchema } from '../../config/env.validation';
import { int } from '../../config/profile';

class WalletsEnvironmentVariables {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  WALLET_PAYMENT_AUTHORIZATION_HOURS?: number;

  @IsOptional()
  @IsUUID()
  WALLET_TOP_UP_MERCHANT_ID?: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  WALLET_HOLD_SWEEP_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  WALLET_DEFAULT_DAILY_LIMIT_MINOR?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  WALLET_DEFAULT_MAX_TRANSFER_MINOR?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  WALLET_FX_RATE_MAX_AGE_SECONDS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  WALLET_PAYOUT_HOLD_DAYS?: number;
}

registerEnvironmentSchema({
  name: 'wallets',
  when: () => true,
  schema: WalletsEnvironmentVariables,
});

export interface WalletsConfig {
  /** How long a WALLET_BALANCE payment with manual capture keeps its hold before it lapses. */
  readonly paymentAuthorizationHours: number;
  /** The merchant id that owns wallet top-up orders (created on first use). */
  readonly topUpMerchantId: string;
  /** How often the sweep releases holds past their expiry. */
  readonly holdSweepMs: number;
  /** Daily outgoing transfer total given to a new wallet (minor units). */
  readonly defaultDailyLimitMinor: number;
  /** Largest single transfer allowed to a new wallet (minor units). */
  readonly defaultMaxTransferMinor: number;
  /** A conversion rate set longer ago than this is refused as stale (seconds). */
  readonly fxRateMaxAgeSeconds: number;
  /** How long a withdrawal's hold lasts; renewed while the payout is open, so it never lapses first. */
  readonly payoutHoldDays: number;
}

const positive = (name: string, value: number, min: number): number => {
  // The schema above is checked at boot only if this file loaded before the config module; check here too.
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}`);
  }
  return value;
};

export const walletsConfig = registerAs('wallets', (): WalletsConfig => ({
  paymentAuthorizationHours: positive(
    'WALLET_PAYMENT_AUTHORIZATION_HOURS',
    int(process.env.WALLET_PAYMENT_AUTHORIZATION_HOURS, 168),
    1,
  ),
  topUpMerchantId: process.env.WALLET_TOP_UP_MERCHANT_ID || '00000000-0000-4000-8000-00000000f00d',
  holdSweepMs: positive('WALLET_HOLD_SWEEP_MS', int(process.env.WALLET_HOLD_SWEEP_MS, 60_000), 100),
  defaultDailyLimitMinor: positive(
    'WALLET_DEFAULT_DAILY_LIMIT_MINOR',
    int(process.env.WALLET_DEFAULT_DAILY_LIMIT_MINOR, 1_000_000),
    1,
  ),
  defaultMaxTransferMinor: positive(
    'WALLET_DEFAULT_MAX_TRANSFER_MINOR',
    int(process.env.WALLET_DEFAULT_MAX_TRANSFER_MINOR, 250_000),
    1,
  ),
  fxRateMaxAgeSeconds: positive(
    'WALLET_FX_RATE_MAX_AGE_SECONDS',
    int(process.env.WALLET_FX_RATE_MAX_AGE_SECONDS, 86_400),
    1,
  ),
  payoutHoldDays: positive(
    'WALLET_PAYOUT_HOLD_DAYS',
    int(process.env.WALLET_PAYOUT_HOLD_DAYS, 30),
    1,
  ),
}));
