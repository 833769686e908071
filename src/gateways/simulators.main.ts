import { Logger } from '@nestjs/common';
import { GATEWAY_CODES } from './gateway-codes';
import { simulatorWebhookBaseUrl } from './gateways.config';
import { startSimulators } from './simulators';

// `npm run simulators`: every gateway simulator on its documented port, with the demo credentials the
// app uses outside production, delivering webhooks to PUBLIC_URL (default http://127.0.0.1:3000).
async function main(): Promise<void> {
  const logger = new Logger('Simulators');
  try {
    process.loadEnvFile?.('.env');
  } catch {
    // no .env file: the environment alone configures the simulators
  }
  const webhookBaseUrl = simulatorWebhookBaseUrl();
  const simulators = await startSimulators({ webhookBaseUrl });
  for (const code of GATEWAY_CODES) {
    const webhooks =
      code === 'mpesa' ? 'per-request CallBackURL' : `${webhookBaseUrl}/webhooks/${code}`;
    logger.log(`${code.padEnd(7)} ${simulators.urls[code]}  webhooks -> ${webhooks}`);
  }
  logger.log('Simulators running; Ctrl-C stops them.');
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping the simulators`);
    simulators.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`Stopping failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  new Logger('Simulators').error(
    `Could not start the simulators: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
