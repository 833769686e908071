import 'reflect-metadata';
import { ConfigValidationError, validateEnvironment } from './config/env.validation';
// Register each module's (and enabled gateway's) variables with the validation below.
import './gateways/gateways.config';
import './modules/orders/orders.config';
import './modules/payments/payments.config';
import './modules/merchant-webhooks/merchant-webhooks.config';
import './modules/wallets/wallets.config';

/**
 * The queue worker: the core modules without HTTP or GraphQL. Bull processors (gateway callbacks,
 * reconciliation, order expiry, outgoing merchant webhooks) run here.
 */
async function main(): Promise<void> {
  try {
    validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(
        `\nPayrail worker cannot start: the configuration is invalid.\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n\n`,
      );
      process.exit(1);
    }
    throw error;
  }
  const { NestFactory } = require('@nestjs/core') as typeof import('@nestjs/core');
  const { Logger } = require('nestjs-pino') as typeof import('nestjs-pino');
  const { WorkerModule } = require('./worker.module') as typeof import('./worker.module');
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.get(Logger).log('Payrail worker started');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Payrail worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
