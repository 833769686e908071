import 'reflect-metadata';
import { ConfigValidationError, validateEnvironment } from './config/env.validation';
// Registers each enabled gateway's variables with the validation below.
import './gateways/gateways.config';
import './modules/orders/orders.config';
import './modules/payments/payments.config';
import './modules/merchant-webhooks/merchant-webhooks.config';
import './modules/wallets/wallets.config';
import './modules/cards/cards.config';
import { DependencyUnavailableError, checkDependencies } from './startup-checks';

/** Prints one clear message (no stack trace) and exits non-zero. */
function fail(title: string, body: string): never {
  process.stderr.write(`\n${title}\n${body}\n\n`);
  process.exit(1);
}

/** SIMULATORS=on|off|auto (default auto: on in the development profile only). */
function shouldStartSimulators(): boolean {
  const setting = process.env.SIMULATORS ?? 'auto';
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  return process.env.APP_PROFILE === 'development';
}

async function main(): Promise<void> {
  // Load .env the same way ConfigModule will, so the check sees the same values.
  try {
    process.loadEnvFile?.('.env');
  } catch {
    // no .env file: the environment alone configures the service
  }
  try {
    validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      fail(
        'Payrail cannot start: the configuration is invalid.',
        `${error.problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
      );
    }
    throw error;
  }
  // Required only now: importing the app module runs ConfigModule's validation at import time.
  const { readDatabaseConfig } =
    require('./config/database.config') as typeof import('./config/database.config');
  const { redisConfig } =
    require('./config/redis.config') as typeof import('./config/redis.config');
  try {
    await checkDependencies(readDatabaseConfig(), redisConfig());
  } catch (error) {
    if (error instanceof DependencyUnavailableError)
      fail('Payrail cannot start: a dependency is down.', error.message);
    throw error;
  }
  if (shouldStartSimulators()) {
    // Development runs offline: the four gateway simulators start with the app, on their own ports.
    const { startSimulators } =
      require('./gateways/simulators') as typeof import('./gateways/simulators');
    const { simulatorWebhookBaseUrl } =
      require('./gateways/gateways.config') as typeof import('./gateways/gateways.config');
    try {
      const simulators = await startSimulators({ webhookBaseUrl: simulatorWebhookBaseUrl() });
      process.stdout.write(
        `Gateway simulators: ${Object.entries(simulators.urls)
          .map(([code, url]) => `${code} ${url}`)
          .join(', ')}\n`,
      );
    } catch (error) {
      fail(
        'Payrail cannot start the gateway simulators.',
        `${(error as Error).message}\nStop whatever holds ports 4101-4104 (another \`npm run simulators\`?) or set SIMULATORS=off.`,
      );
    }
  }
  const { createApp } = require('./bootstrap') as typeof import('./bootstrap');
  const { appConfig } = require('./config/app.config') as typeof import('./config/app.config');
  const config = appConfig();
  const app = await createApp();
  await app.listen({ port: config.port, host: config.host });
  const shutdownTimer = (): void => {
    // Graceful shutdown (drain HTTP, close queues and DB) is Nest's; this only bounds it.
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
  };
  process.once('SIGTERM', shutdownTimer);
  process.once('SIGINT', shutdownTimer);
}

main().catch((error: unknown) =>
  fail('Payrail failed to start.', error instanceof Error ? error.message : String(error)),
);
