import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import {
  IsIn,
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

export type PaypalWebhookVerification = 'offline' | 'api';

export const PAYPAL_SANDBOX_BASE_URL = 'https://api-m.sandbox.paypal.com';
export const PAYPAL_LIVE_BASE_URL = 'https://api-m.paypal.com';

/** The credentials outside production: what the simulator accepts by default. Never use them live. */
export const PAYPAL_DEMO_CREDENTIALS = {
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret',
  webhookId: '1JE4291016473214C',
} as const;

export interface PaypalConfig {
  /** REST host: sandbox, live, or a simulator. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Our webhook subscription id from the dashboard (not an event id). */
  readonly webhookId: string;
  /** `offline`: RSA check against the cert from PAYPAL-CERT-URL; `api`: verify-webhook-signature postback. */
  readonly webhookVerification: PaypalWebhookVerification;
  /** Extra hosts (host[:port]) trusted to serve webhook certs besides *.paypal.com and the base URL host. */
  readonly webhookCertHosts: readonly string[];
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  /** Refresh the OAuth token this long before PayPal says it expires. */
  readonly tokenRefreshMarginSeconds: number;
  /** Shown on the approval page. */
  readonly brandName?: string;
}

// Credentials are required only when PayPal is switched on, in production (demo values elsewhere).
const paypalCredential = credentialRequired('paypal');

export class PaypalEnvironmentVariables {
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  PAYPAL_BASE_URL?: string;

  @ValidateIf(paypalCredential)
  @IsString()
  @IsNotEmpty()
  PAYPAL_CLIENT_ID?: string;

  @ValidateIf(paypalCredential)
  @IsString()
  @IsNotEmpty()
  PAYPAL_CLIENT_SECRET?: string;

  @ValidateIf(paypalCredential)
  @IsString()
  @IsNotEmpty()
  PAYPAL_WEBHOOK_ID?: string;

  @IsOptional()
  @IsIn(['offline', 'api'])
  PAYPAL_WEBHOOK_VERIFICATION?: PaypalWebhookVerification;

  @IsOptional()
  @IsString()
  PAYPAL_WEBHOOK_CERT_HOSTS?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  PAYPAL_TIMEOUT_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  PAYPAL_MAX_RETRIES?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  PAYPAL_RETRY_BASE_DELAY_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600)
  PAYPAL_TOKEN_REFRESH_MARGIN_SECONDS?: number;

  @IsOptional()
  @IsString()
  PAYPAL_BRAND_NAME?: string;
}

const integer = (value: string | undefined, fallback: number): number =>
  value === undefined || value.trim() === '' ? fallback : Number.parseInt(value, 10);

const demo = (name: keyof typeof PAYPAL_DEMO_CREDENTIALS, variable: string): string =>
  secret(process.env, variable, PAYPAL_DEMO_CREDENTIALS[name]) ?? '';

export const paypalConfig = registerAs('paypal', (): PaypalConfig => ({
  baseUrl: process.env.PAYPAL_BASE_URL || defaultGatewayBaseUrl('paypal', PAYPAL_SANDBOX_BASE_URL),
  clientId: demo('clientId', 'PAYPAL_CLIENT_ID'),
  clientSecret: demo('clientSecret', 'PAYPAL_CLIENT_SECRET'),
  webhookId: demo('webhookId', 'PAYPAL_WEBHOOK_ID'),
  webhookVerification: process.env.PAYPAL_WEBHOOK_VERIFICATION === 'offline' ? 'offline' : 'api',
  webhookCertHosts: (process.env.PAYPAL_WEBHOOK_CERT_HOSTS ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host.length > 0),
  timeoutMs: integer(process.env.PAYPAL_TIMEOUT_MS, 10_000),
  maxRetries: integer(process.env.PAYPAL_MAX_RETRIES, 2),
  retryBaseDelayMs: integer(process.env.PAYPAL_RETRY_BASE_DELAY_MS, 200),
  tokenRefreshMarginSeconds: integer(process.env.PAYPAL_TOKEN_REFRESH_MARGIN_SECONDS, 300),
  brandName: process.env.PAYPAL_BRAND_NAME || undefined,
}));
