import 'reflect-metadata';

import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@wharf/config';
import { tuneV8ForTransfers } from '@wharf/ftp-protocol';

import { WorkerModule } from './worker.module';

/**
 * The FTP worker is a Nest application context, not an HTTP app: its only
 * listeners are the FTP servers it is assigned and a small health/metrics port.
 */
async function bootstrap(): Promise<void> {
  tuneV8ForTransfers();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: ['error', 'warn', 'log', 'debug', 'verbose'].slice(
      0,
      ['error', 'warn', 'log', 'debug', 'verbose'].indexOf(config.logLevel) + 1,
    ) as ('error' | 'warn' | 'log' | 'debug' | 'verbose')[],
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
  new Logger('FtpWorker').log('worker started');
}

bootstrap().catch((error: unknown) => {
  new Logger('FtpWorker').error(
    error instanceof Error ? (error.stack ?? error.message) : String(error),
  );
  process.exit(1);
});
