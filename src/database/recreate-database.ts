import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config';
import { buildDataSourceOptions } from './data-source-options';

/**
 * Drops and recreates `name` on the configured server and runs every migration from zero. For
 * test set-up and benchmarks only: it destroys the database's data.
 */
export async function recreateDatabase(config: DatabaseConfig, name: string): Promise<void> {
  const admin = await createConnection({
    host: config.host,
    port: config.port,
    user: config.username,
    password: config.password,
  });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource({
    ...buildDataSourceOptions({ ...config, database: name }),
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
