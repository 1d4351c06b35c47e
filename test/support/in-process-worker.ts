/*
 * Shared by the suites that need a real FTP worker next to the in-process api
 * (the worker e2e suite and the admin UI's FTP scenarios): a worker application
 * context against the run's database and queue backend, and the polling helpers
 * that wait for what the worker does asynchronously.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  type DynamicModule,
  type INestApplicationContext,
  Module,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, type WharfConfig } from '@wharf/config';

// These suites compose the api and the worker in one process on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { QuotaModule } from '../../apps/ftp-worker/src/quota/quota.module';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { WorkerModule } from '../../apps/ftp-worker/src/worker.module';

export interface InProcessWorkerOptions {
  /** WHARF_WORKER_ID: servers pinned to it (workerIds) are the ones it binds. */
  id: string;
  databaseUrl: string;
  /** The api's queue prefix (api.config.queue.prefix), so both share queues. */
  queuePrefix: string;
  storageRoot: string;
  /** Queue backend; default the run's Redis (WHARF_TEST_REDIS_URL), e.g. a private redis-server. */
  redisUrl?: string;
  /**
   * Also compose QuotaModule, as the worker's main module does, with its
   * reconcile job off (covered by its own spec; it must not touch other
   * suites' users).
   */
  quotas?: boolean;
}

export interface InProcessWorker {
  app: INestApplicationContext;
  dataDir: string;
  /** Closes the context and removes its data directory (spool). */
  close(): Promise<void>;
}

/** A worker with short heartbeat and reconcile periods, logging errors only. */
export async function startInProcessWorker(
  options: InProcessWorkerOptions,
): Promise<InProcessWorker> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `wharf-${options.id}-`));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl ?? process.env.WHARF_TEST_REDIS_URL,
      WHARF_QUEUE_PREFIX: options.queuePrefix,
      WHARF_DATA_DIR: dataDir,
      WHARF_STORAGE_ROOT: options.storageRoot,
      WHARF_WORKER_ID: options.id,
      WHARF_HEARTBEAT_SECONDS: '1',
      WHARF_RECONCILE_SECONDS: '2',
      WHARF_LOG_LEVEL: 'error',
    },
    dataDir,
  );
  const worker = WorkerModule.forRoot(config, { drainGraceMs: 2000, loginDatabaseTimeoutMs: 2000 });
  const app = await NestFactory.createApplicationContext(
    options.quotas ? withQuotas(worker, config) : worker,
    { logger: ['error'] },
  );
  await app.init();
  return {
    app,
    dataDir,
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function withQuotas(worker: DynamicModule, config: WharfConfig): Type {
  @Module({
    imports: [worker, QuotaModule.forRoot(config, { schedule: { everyMs: 0, process: false } })],
  })
  class WorkerWithQuotas {}
  return WorkerWithQuotas;
}

/** Polls `probe` every 100 ms until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until something on 127.0.0.1:`port` sends a greeting (the worker's reconcile bound it). */
export async function waitForFtpListener(port: number, timeoutMs = 15_000): Promise<void> {
  await eventually(
    () =>
      new Promise<true | undefined>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('data', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(undefined));
      }),
    timeoutMs,
    `a listener on ${port}`,
  );
}
