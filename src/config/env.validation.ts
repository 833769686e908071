import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
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
  MinLength,
  ValidateIf,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { APP_PROFILES } from './profile';

const BOOLEAN = /^(true|false|1|0|yes|no|on|off)$/i;
const requiredSecret = (env: EnvironmentVariables): boolean =>
  env.APP_PROFILE === 'production' || env.APP_PROFILE === undefined;

/** Every variable the service reads. `.env.example` documents each one. */
export class EnvironmentVariables {
  @IsOptional() @IsIn(APP_PROFILES) APP_PROFILE?: string;
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional() @IsUrl({ require_tld: false }) PUBLIC_URL?: string;
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  @IsOptional() @Matches(BOOLEAN) TRUST_PROXY?: string;
  @IsOptional() @IsString() TLS_CERT_PATH?: string;
  @ValidateIf((env: EnvironmentVariables) => !!env.TLS_CERT_PATH)
  @IsString()
  @IsNotEmpty({ message: 'TLS_KEY_PATH is required when TLS_CERT_PATH is set' })
  TLS_KEY_PATH?: string;
  @IsOptional() @IsInt() @Min(1024) BODY_LIMIT_BYTES?: number;
  @IsOptional() @IsInt() @Min(0) SHUTDOWN_TIMEOUT_MS?: number;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional() @IsIn(['mysql', 'mariadb']) DB_TYPE?: string;
  @IsOptional() @IsString() DB_HOST?: string;
  @IsOptional() @IsInt() @Min(1) @Max(65535) DB_PORT?: number;
  @IsOptional() @IsString() DB_USER?: string;
  @IsOptional() @IsString() DB_PASSWORD?: string;
  @IsOptional() @Matches(/^[A-Za-z0-9_]+$/) DB_NAME?: string;
  @IsOptional() @IsInt() @Min(1) DB_POOL_SIZE?: number;
  @IsOptional() @IsInt() @Min(100) DB_CONNECT_TIMEOUT_MS?: number;

  @IsOptional() @IsString() REDIS_HOST?: string;
  @IsOptional() @IsInt() @Min(1) @Max(65535) REDIS_PORT?: number;
  @IsOptional() @IsString() REDIS_PASSWORD?: string;
  @IsOptional() @IsInt() @Min(0) @Max(15) REDIS_DB?: number;
  @IsOptional() @IsString() REDIS_KEY_PREFIX?: string;

  @ValidateIf(requiredSecret)
  @IsString()
  @MinLength(32, { message: 'JWT_ACCESS_SECRET must be at least 32 characters' })
  JWT_ACCESS_SECRET?: string;
  @ValidateIf(requiredSecret)
  @IsString()
  @MinLength(32, { message: 'API_KEY_PEPPER must be at least 32 characters' })
  API_KEY_PEPPER?: string;
  @ValidateIf(requiredSecret)
  @IsString()
  @MinLength(32, { message: 'RISK_HASH_PEPPER must be at least 32 characters' })
  RISK_HASH_PEPPER?: string;
  @IsOptional() @IsInt() @Min(50) @Max(30_000) RISK_REDIS_TIMEOUT_MS?: number;
  @IsOptional() @IsString() JWT_ISSUER?: string;
  @IsOptional() @IsString() JWT_AUDIENCE?: string;
  @IsOptional() @IsInt() @Min(30) @Max(3600) JWT_ACCESS_TTL_SECONDS?: number;
  @IsOptional() @IsInt() @Min(300) JWT_REFRESH_TTL_SECONDS?: number;
  @IsOptional() @IsInt() @Min(1) AUTH_MAX_FAILED_LOGINS?: number;
  @IsOptional() @IsInt() @Min(1) AUTH_LOCKOUT_SECONDS?: number;

  @ValidateIf(requiredSecret)
  @IsString()
  @Matches(/^[\w-]+:[A-Za-z0-9+/=]+(,[\w-]+:[A-Za-z0-9+/=]+)*$/, {
    message: 'ENCRYPTION_KEYS must look like id:base64key[,id:base64key...]',
  })
  ENCRYPTION_KEYS?: string;
  @ValidateIf((env: EnvironmentVariables) => !!env.ENCRYPTION_KEYS)
  @IsString()
  @IsNotEmpty({ message: 'ENCRYPTION_CURRENT_KEY_ID is required with ENCRYPTION_KEYS' })
  ENCRYPTION_CURRENT_KEY_ID?: string;

  @IsOptional() @Matches(BOOLEAN) GRAPHQL_INTROSPECTION?: string;
  @IsOptional() @IsInt() @Min(2) @Max(50) GRAPHQL_MAX_DEPTH?: number;
  @IsOptional() @IsInt() @Min(10) GRAPHQL_MAX_COST?: number;
  @IsOptional() @IsInt() @Min(1) GRAPHQL_MAX_ALIASES?: number;
  @IsOptional() @IsInt() @Min(1) GRAPHQL_MAX_BATCH?: number;

  @IsOptional() @IsInt() @Min(1) RATE_LIMIT?: number;
  @IsOptional() @IsInt() @Min(1) RATE_LIMIT_WINDOW_SECONDS?: number;
  @IsOptional() @IsInt() @Min(1) RATE_LIMIT_AUTH?: number;
  @IsOptional() @IsInt() @Min(1) RATE_LIMIT_AUTH_WINDOW_SECONDS?: number;

  @IsOptional() @IsString() GATEWAYS_ENABLED?: string;
  @IsOptional() @IsIn(['on', 'off', 'auto']) SIMULATORS?: string;
}

/** Extra classes validated only when their condition holds (a gateway's credentials when it is enabled). */
export interface ConditionalEnvironment {
  readonly name: string;
  readonly when: (env: Record<string, unknown>) => boolean;
  readonly schema: new () => object;
}

const conditionalSchemas: ConditionalEnvironment[] = [];

/** Gateways register their env classes here (required only when enabled). */
export function registerEnvironmentSchema(schema: ConditionalEnvironment): void {
  if (!conditionalSchemas.some((existing) => existing.name === schema.name))
    conditionalSchemas.push(schema);
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => {
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    );
    return [...own, ...flatten(error.children ?? [])];
  });
}

function check(schema: new () => object, config: Record<string, unknown>): string[] {
  const instance = plainToInstance(schema, config, { enableImplicitConversion: true });
  return flatten(
    validateSync(instance, { skipMissingProperties: false, forbidUnknownValues: false }),
  );
}

/** Validates the whole environment and reports every problem at once. */
export function validateEnvironment(config: Record<string, unknown>): Record<string, unknown> {
  // An empty value means "not set", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== ''));
  const problems = check(EnvironmentVariables, cleaned);
  for (const schema of conditionalSchemas) {
    if (schema.when(cleaned))
      problems.push(...check(schema.schema, cleaned).map((p) => `${p} (${schema.name})`));
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}
