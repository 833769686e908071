import { registerAs } from '@nestjs/config';
import { int } from './profile';

export interface DatabaseConfig {
  /** `mysql` (MySQL 8) or `mariadb`: same wire protocol, but schema introspection differs. */
  readonly type: 'mysql' | 'mariadb';
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly database: string;
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
}

/** Read by the app (through Nest) and by the TypeORM CLI (ormconfig.ts): one source. */
export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return {
    type: env.DB_TYPE === 'mariadb' ? 'mariadb' : 'mysql',
    host: env.DB_HOST ?? '127.0.0.1',
    port: int(env.DB_PORT, 3306),
    username: env.DB_USER ?? 'root',
    password: env.DB_PASSWORD ?? '',
    database: env.DB_NAME ?? 'payrail',
    poolSize: int(env.DB_POOL_SIZE, 20),
    connectTimeoutMs: int(env.DB_CONNECT_TIMEOUT_MS, 5_000),
  };
}

export const databaseConfig = registerAs('database', () => readDatabaseConfig());
