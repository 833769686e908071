import 'reflect-metadata';
import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { registerEnvironmentSchema } from '../../config/env.validation';
import { bool, currentProfile } from '../../config/profile';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, parseRetrySchedule } from './retry-schedule';

export const MERCHANT_WEBHOOK_DEFAULT_POLL_MS = 1_000;
export const MERCHANT_WEBHOOK_DEFAULT_TIMEOUT_MS = 10_000;

export interface MerchantWebhooksConfig {
  /** How often the dispatcher looks for due deliveries. */
  readonly pollMs: number;
  /** How long one POST to a merchant may take, connect to last byte. */
  readonly timeoutMs: number;
  /** Seconds to wait before each retry; once used up the delivery is FAILED. */
  readonly retryScheduleSeconds: readonly number[];
  /** Whether endpoint URLs may point at loopback, private or link-local addresses. */
  readonly allowPrivateUrls: boolean;
}

/** Boot-time validation; property names are the env var names. */
export class MerchantWebhooksEnvironmentVariables {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  MERCHANT_WEBHOOK_POLL_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  MERCHANT_WEBHOOK_TIMEOUT_MS?: number;

  @IsOptional()
  @Matches(/^\s*\d+(\s*,\s*\d+)*\s*$/, {
    message: 'MERCHANT_WEBHOOK_RETRY_SCHEDULE must be a comma list of whole seconds, e.g. 60,300',
  })
  MERCHANT_WEBHOOK_RETRY_SCHEDULE?: string;

  @IsOptional()
  @Matches(/^(true|false|1|0|yes|no|on|off)$/i)
  MERCHANT_WEBHOOK_ALLOW_PRIVATE_URLS?: string;
}

// Registered on import; core.module.ts imports this file for its load list, before validation runs.
registerEnvironmentSchema({
  name: 'merchant-webhooks',
  when: () => true,
  schema: MerchantWebhooksEnvironmentVariables,
});

function integer(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? parsed : fallback;
}

export function readMerchantWebhooksConfig(
  env: NodeJS.ProcessEnv = process.env,
): MerchantWebhooksConfig {
  const schedule = env.MERCHANT_WEBHOOK_RETRY_SCHEDULE;
  return {
    pollMs: integer(env.MERCHANT_WEBHOOK_POLL_MS, MERCHANT_WEBHOOK_DEFAULT_POLL_MS),
    timeoutMs: integer(env.MERCHANT_WEBHOOK_TIMEOUT_MS, MERCHANT_WEBHOOK_DEFAULT_TIMEOUT_MS),
    retryScheduleSeconds:
      schedule && schedule.trim() !== ''
        ? parseRetrySchedule(schedule)
        : DEFAULT_RETRY_SCHEDULE_SECONDS,
    // Local receivers are the norm while developing; production must opt in explicitly.
    allowPrivateUrls: bool(
      env.MERCHANT_WEBHOOK_ALLOW_PRIVATE_URLS,
      currentProfile(env) !== 'production',
    ),
  };
}

export const merchantWebhooksConfig = registerAs('merchantWebhooks', () =>
  readMerchantWebhooksConfig(process.env),
);
