import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { registerEnvironmentSchema } from '../../config/env.validation';
import { int } from '../../config/profile';

class WalletsEnvironmentVariables {
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
}

registerEnvironmentSchema({
  name: 'wallets',
  when: () => true,
  schema: WalletsEnvironmentVariables,
});

export interface WalletsConfig {
  /** How often the sweep releases holds past their expiry. */
  readonly holdSweepMs: number;
  /** Daily outgoing transfer total given to a new wallet (minor units). */
  readonly defaultDailyLimitMinor: number;
  /** Largest single transfer allowed to a new wallet (minor units). */
  readonly defaultMaxTransferMinor: number;
}

const positive = (name: string, value: number, min: number): number => {
  // The schema above is checked at boot only if this file loaded before the config module; check here too.
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}`);
  }
  return value;
};

export const walletsConfig = registerAs('wallets', (): WalletsConfig => ({
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
}));
