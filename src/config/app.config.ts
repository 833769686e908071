import { registerAs } from '@nestjs/config';
import { bool, currentProfile, int, list, type AppProfile } from './profile';

export interface AppConfig {
  readonly profile: AppProfile;
  readonly host: string;
  readonly port: number;
  /** Public base URL, used to build callback and return URLs. */
  readonly publicUrl: string;
  readonly corsOrigins: readonly string[];
  readonly trustProxy: boolean;
  readonly tlsCertPath?: string;
  readonly tlsKeyPath?: string;
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly logLevel: string;
}

export const appConfig = registerAs('app', (): AppConfig => {
  const env = process.env;
  const port = int(env.PORT, 3000);
  return {
    profile: currentProfile(env),
    host: env.HOST ?? '0.0.0.0',
    port,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${port}`,
    corsOrigins: list(env.CORS_ORIGINS),
    trustProxy: bool(env.TRUST_PROXY, false),
    tlsCertPath: env.TLS_CERT_PATH || undefined,
    tlsKeyPath: env.TLS_KEY_PATH || undefined,
    bodyLimitBytes: int(env.BODY_LIMIT_BYTES, 1_048_576),
    shutdownTimeoutMs: int(env.SHUTDOWN_TIMEOUT_MS, 10_000),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
});
