import { Logger } from '@nestjs/common';
import { loadConfig } from '@wharf/config';

import { createApiApp } from './app.factory';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.api.port, config.api.host);
  const logger = new Logger('Api');
  logger.log(`listening on http://${config.api.host}:${config.api.port}`);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: closing`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`close failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // ConfigError's message lists every bad variable.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
