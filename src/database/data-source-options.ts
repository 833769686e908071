import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

// migrations/ sits at the repository root; compiled, it sits at dist/migrations.
const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

/** One definition for the app and the CLI. Never `synchronize`: the schema changes only by migrations. */
export function buildDataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  return {
    type: config.type,
    host: config.host,
    port: config.port,
    username: config.username,
    password: config.password,
    database: config.database,
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    poolSize: config.poolSize,
    connectTimeout: config.connectTimeoutMs,
    extra: { connectionLimit: config.poolSize, enableKeepAlive: true },
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: false,
    // Not 'error': failed queries would be logged with their parameters (hashes, tokens). Errors surface through our handlers.
    logging: ['warn', 'migration'],
  };
}
