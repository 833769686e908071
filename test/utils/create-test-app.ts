import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { GraphqlClient } from './graphql-client';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly gql: GraphqlClient;
  close(): Promise<void>;
  truncate(): Promise<void>;
}

/**
 * Boots the real app (createApp, as production does) on a free port against this worker's MariaDB
 * database and Redis keyspace. `env` overrides variables for this app only.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { port?: number } = {},
): Promise<TestApp> {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  try {
    // Required inside the try: importing the app module validates the environment set above.
    const { createApp } = require('../../src/bootstrap') as typeof import('../../src/bootstrap');
    const app = await createApp();
    await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const dataSource = app.get(DataSource);
    const testApp: TestApp = {
      app,
      url,
      gql: new GraphqlClient(url),
      close: () => app.close(),
      truncate: async () => {
        // Every table but the migrations log, so a new module never has to register here.
        const rows = (await dataSource.query(
          `SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' AND table_name <> 'migrations'`,
        )) as { name: string }[];
        const tables = rows.map((row) => row.name);
        // One connection: FOREIGN_KEY_CHECKS is a session setting, and so is the variable that
        // lets the audit_log trigger accept DELETE (it refuses every other session).
        const runner = dataSource.createQueryRunner();
        try {
          await runner.query('SET FOREIGN_KEY_CHECKS = 0, @payrail_allow_audit_purge = 1');
          for (const table of tables) await runner.query(`DELETE FROM \`${table}\``);
        } finally {
          // Back to normal before the connection returns to the pool the app uses.
          await runner
            .query('SET FOREIGN_KEY_CHECKS = 1, @payrail_allow_audit_purge = NULL')
            .finally(() => runner.release());
        }
      },
    };
    // Each file starts from empty tables, whatever the previous file in this worker left behind.
    await testApp.truncate();
    return testApp;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
