import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import {
  IsIn,
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
import { readFileSync } from 'node:fs';
import { secret } from '../../config/profile';
import { credentialRequired } from '../gateways-enabled';
import { defaultGatewayBaseUrl } from '../simulator-ports';
import type { MpesaB2cCommandId, MpesaTransactionType } from './mpesa.types';

export const MPESA_SANDBOX_BASE_URL = 'https://sandbox.safaricom.co.ke';

/**
 * The credentials outside production: what the simulator accepts by default (shortcode, passkey and
 * initiator are Daraja's public sandbox ones). Public: never use them live.
 */
export const MPESA_DEMO_CREDENTIALS = {
  consumerKey: 'sim-consumer-key',
  consumerSecret: 'sim-consumer-secret',
  shortcode: '174379',
  passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
  initiatorName: 'testapi',
  initiatorPassword: 'Safaricom999!*!',
  callbackSecret: 'payrail-demo-mpesa-callback-secret',
} as const;

/** The public key of the simulator's demo key (simulator/mpesa-demo-key.ts): the demo "certificate". */
export const MPESA_DEMO_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAssBuW7VNE1MtcFKBDa5V
fVXVUQvvtwUuY96g3yqyqKDpkunNnyNy0MluuxLhM5bbPC43dOGmRYB30GWvFnfF
zKhWikfYAsDDHCK6klZz5o50ApjUDbIMz62nRTHp2HXC8SXwh8di1A41wU/AeRmt
6adE9umCJTj00k3xQgWl0eTiWkLhDF1vC9f1tifKDb+LpQWno4Aoqr4en/QsGF4z
hFIgtHsqWGXT/a+SZ64GOZ+kqvFHUdGGYk6C6Wod/8JPawW4IFUuVZoLtJJawhOZ
k8fyIom+c3I4hMtNmZXZ4cKpP250mFxbAtPyC/sCg1bWCHZQ83Fx86AxfyH/Ge8h
WQIDAQAB
-----END PUBLIC KEY-----
`;

export interface MpesaConfig {
  readonly baseUrl: string;
  readonly consumerKey: string;
  readonly consumerSecret: string;
  /** STK BusinessShortCode (paybill, or the store/HO number for tills). */
  readonly shortcode: string;
  readonly passkey: string;
  readonly transactionType: MpesaTransactionType;
  /** STK PartyB: the till number for buy-goods; defaults to the shortcode. */
  readonly partyB?: string;
  /** Shortcode for B2C, Reversal and Transaction Status; defaults to the shortcode. */
  readonly b2cShortcode?: string;
  readonly b2cCommandId?: MpesaB2cCommandId;
  readonly initiatorName: string;
  readonly initiatorPassword: string;
  /** Safaricom's X.509 certificate (PEM) that encrypts the initiator password. */
  readonly certificatePem: string;
  /** Derives the per-callback tokens (M-Pesa signs nothing). */
  readonly callbackSecret: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs?: number;
  /** Refresh the OAuth token this long before it expires. */
  readonly tokenRefreshMarginMs?: number;
}

// Checked when set; required when mpesa is enabled in production (demo values elsewhere).
const credential = credentialRequired('mpesa');

/** Boot-time validation; credentials are required only when mpesa is enabled, in production. */
export class MpesaEnvironmentVariables {
  @IsOptional()
  @IsString()
  GATEWAYS_ENABLED?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  MPESA_BASE_URL?: string;

  @ValidateIf(credential)
  @IsString()
  @IsNotEmpty()
  MPESA_CONSUMER_KEY?: string;

  @ValidateIf(credential)
  @IsString()
  @IsNotEmpty()
  MPESA_CONSUMER_SECRET?: string;

  @ValidateIf(credential)
  @Matches(/^\d{5,7}$/)
  MPESA_SHORTCODE?: string;

  @ValidateIf(credential)
  @IsString()
  @IsNotEmpty()
  MPESA_PASSKEY?: string;

  @IsOptional()
  @IsIn(['CustomerPayBillOnline', 'CustomerBuyGoodsOnline'])
  MPESA_TRANSACTION_TYPE?: MpesaTransactionType;

  @IsOptional()
  @Matches(/^\d{5,7}$/)
  MPESA_PARTY_B?: string;

  @IsOptional()
  @Matches(/^\d{5,7}$/)
  MPESA_B2C_SHORTCODE?: string;

  @IsOptional()
  @IsIn(['BusinessPayment', 'SalaryPayment', 'PromotionPayment'])
  MPESA_B2C_COMMAND_ID?: MpesaB2cCommandId;

  @ValidateIf(credential)
  @IsString()
  @IsNotEmpty()
  MPESA_INITIATOR_NAME?: string;

  @ValidateIf(credential)
  @IsString()
  @IsNotEmpty()
  MPESA_INITIATOR_PASSWORD?: string;

  // One of the two is required when enabled.
  @ValidateIf(
    (env: MpesaEnvironmentVariables, value: unknown) =>
      credential(env, value) && !env.MPESA_CERTIFICATE_PEM,
  )
  @IsString()
  @IsNotEmpty()
  MPESA_CERTIFICATE_PATH?: string;

  @ValidateIf(
    (env: MpesaEnvironmentVariables, value: unknown) =>
      credential(env, value) && !env.MPESA_CERTIFICATE_PATH,
  )
  @IsString()
  @IsNotEmpty()
  MPESA_CERTIFICATE_PEM?: string;

  @ValidateIf(credential)
  @IsString()
  @IsNotEmpty()
  MPESA_CALLBACK_SECRET?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  MPESA_TIMEOUT_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5)
  MPESA_MAX_RETRIES?: number;
}

function certificateFromEnv(): string {
  if (process.env.MPESA_CERTIFICATE_PEM)
    return process.env.MPESA_CERTIFICATE_PEM.replace(/\\n/g, '\n');
  const path = process.env.MPESA_CERTIFICATE_PATH;
  if (path) return readFileSync(path, 'utf8');
  return secret(process.env, 'MPESA_CERTIFICATE_PEM', MPESA_DEMO_PUBLIC_KEY_PEM) ?? '';
}

const demo = (name: keyof typeof MPESA_DEMO_CREDENTIALS, variable: string): string =>
  secret(process.env, variable, MPESA_DEMO_CREDENTIALS[name]) ?? '';

export const mpesaConfig = registerAs('mpesa', (): MpesaConfig => ({
  baseUrl: process.env.MPESA_BASE_URL || defaultGatewayBaseUrl('mpesa', MPESA_SANDBOX_BASE_URL),
  consumerKey: demo('consumerKey', 'MPESA_CONSUMER_KEY'),
  consumerSecret: demo('consumerSecret', 'MPESA_CONSUMER_SECRET'),
  shortcode: demo('shortcode', 'MPESA_SHORTCODE'),
  passkey: demo('passkey', 'MPESA_PASSKEY'),
  transactionType:
    (process.env.MPESA_TRANSACTION_TYPE as MpesaTransactionType) ?? 'CustomerPayBillOnline',
  partyB: process.env.MPESA_PARTY_B || undefined,
  b2cShortcode: process.env.MPESA_B2C_SHORTCODE || undefined,
  b2cCommandId: (process.env.MPESA_B2C_COMMAND_ID as MpesaB2cCommandId) || undefined,
  initiatorName: demo('initiatorName', 'MPESA_INITIATOR_NAME'),
  initiatorPassword: demo('initiatorPassword', 'MPESA_INITIATOR_PASSWORD'),
  certificatePem: certificateFromEnv(),
  callbackSecret: demo('callbackSecret', 'MPESA_CALLBACK_SECRET'),
  timeoutMs: Number(process.env.MPESA_TIMEOUT_MS ?? 15_000),
  maxRetries: Number(process.env.MPESA_MAX_RETRIES ?? 2),
}));
