/*
 * An FTP worker as a real, separate operating-system process (the built
 * dist/node/apps/ftp-worker/src/main.js, started the way the launcher starts
 * it), for the suites that kill it: `kill -9` cannot be simulated by closing
 * an application context in the test's own process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');

/** The worker's entry point as `node apps/launcher/start.js --build-only` leaves it. */
export const WORKER_MAIN = path.join(
  repoRoot,
  'dist',
  'node',
  'apps',
  'ftp-worker',
  'src',
  'main.js',
);

export interface WorkerProcessOptions {
  /** WHARF_WORKER_ID: the servers pinned to it are the ones it binds. */
  id: string;
  databaseUrl: string;
  /** REDIS_URL; undefined = BullMQ's PostgreSQL backend. */
  redisUrl: string | undefined;
  /** The api's queue prefix (api.config.queue.prefix), so both share queues. */
  queuePrefix: string;
  storageRoot: string;
  /** WHARF_DATA_DIR (its spool lives here); reuse it to restart "the same" worker. */
  dataDir: string;
}

export interface WorkerProcess {
  readonly id: string;
  readonly pid: number;
  /** What the process printed so far (stdout and stderr, last 64 KiB), for failure messages. */
  output(): string;
  /** Resolves with the exit code or signal once the process has exited. */
  readonly exited: Promise<string>;
  /** Sends `signal` and waits until the process is gone. */
  kill(signal: NodeJS.Signals): Promise<string>;
  /** SIGTERM (the worker drains), SIGKILL if it is still running after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns a worker with short heartbeat (1 s, so stale after 3 s) and reconcile
 * (2 s) periods. Fails (never skips) when the build is missing: `npm test`
 * builds first; a single suite needs `node apps/launcher/start.js --build-only`.
 */
export function startWorkerProcess(options: WorkerProcessOptions): WorkerProcess {
  if (!existsSync(WORKER_MAIN)) {
    throw new Error(
      `${WORKER_MAIN} is missing: run "node apps/launcher/start.js --build-only" first`,
    );
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    WHARF_QUEUE_PREFIX: options.queuePrefix,
    WHARF_DATA_DIR: options.dataDir,
    WHARF_STORAGE_ROOT: options.storageRoot,
    WHARF_WORKER_ID: options.id,
    WHARF_HEARTBEAT_SECONDS: '1',
    WHARF_RECONCILE_SECONDS: '2',
    WHARF_DRAIN_GRACE_SECONDS: '2',
    WHARF_LOG_LEVEL: 'warn',
  };
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', WORKER_MAIN], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-64 * 1024);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    id: options.id,
    pid: child.pid!,
    output: () => output,
    exited,
    async kill(signal) {
      if (running()) child.kill(signal);
      return exited;
    },
    async stop(graceMs = 15_000) {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (running()) child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
