import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { secret } from '../../config/profile';
import { credentialRequired } from '../gateways-enabled';
import { defaultGatewayBaseUrl } from '../simulator-ports';

export const ZAAKPAY_STAGING_BASE_URL = 'https://zaakstaging.zaakpay.com';
export const ZAAKPAY_PRODUCTION_BASE_URL = 'https://api.zaakpay.com';

export interface ZaakpayConfig {
  /** 32-hex merchant id from Dashboard → Developers → Configurations → API keys. */
  readonly merchantIdentifier: string;
  /** HMAC key for every checksum. Never logged. */
  readonly secretKey: string;
  /** Host the browser posts the hosted checkout form to. */
  readonly baseUrl: string;
  /** Host for checkTxn / updateTxn (the same as baseUrl on Zaakpay's side). */
  readonly apiBaseUrl: string;
  readonly timeoutMs: number;
  /** Extra tries for checkTxn (idempotent); updateTxn is only retried when never sent. */
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
}

/**
 * Zaakpay's publicly documented staging pair: the credentials outside production (the simulator
 * started by `npm run simulators` accepts them). Public: never use them live.
 */
export const ZAAKPAY_DEMO_CREDENTIALS = {
  merchantIdentifier: 'b19e8f103bce406cbd3476431b6b7973',
  secretKey: '0678056d96914a8583fb518caf42828a',
} as const;

// Credentials are required only when the gateway is switched on, and in production.
const zaakpayCredential = credentialRequired('zaakpay');

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** Boot-time validation of the ZAAKPAY_* environment. Secrets have no defaults in production. */
export class ZaakpayEnvironmentVariables {
  @ValidateIf(zaakpayCredential)
  @IsString()
  @IsNotEmpty()
  ZAAKPAY_MERCHANT_IDENTIFIER: string;

  @ValidateIf(zaakpayCredential)
  @IsString()
  @IsNotEmpty()
  ZAAKPAY_SECRET_KEY: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  ZAAKPAY_BASE_URL?: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  ZAAKPAY_API_BASE_URL?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  ZAAKPAY_TIMEOUT_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5)
  ZAAKPAY_MAX_RETRIES?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  ZAAKPAY_RETRY_BASE_DELAY_MS?: number;
}

function integer(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  return Number(value);
}

export const zaakpayConfig = registerAs('zaakpay', (): ZaakpayConfig => {
  const env = process.env;
  const baseUrl =
    env.ZAAKPAY_BASE_URL || defaultGatewayBaseUrl('zaakpay', ZAAKPAY_STAGING_BASE_URL);
  return {
    merchantIdentifier:
      secret(env, 'ZAAKPAY_MERCHANT_IDENTIFIER', ZAAKPAY_DEMO_CREDENTIALS.merchantIdentifier) ?? '',
    secretKey: secret(env, 'ZAAKPAY_SECRET_KEY', ZAAKPAY_DEMO_CREDENTIALS.secretKey) ?? '',
    baseUrl,
    apiBaseUrl: process.env.ZAAKPAY_API_BASE_URL || baseUrl,
    timeoutMs: integer(process.env.ZAAKPAY_TIMEOUT_MS, 15_000),
    maxRetries: integer(process.env.ZAAKPAY_MAX_RETRIES, 2),
    retryBaseDelayMs: integer(process.env.ZAAKPAY_RETRY_BASE_DELAY_MS, 200),
  };
});
