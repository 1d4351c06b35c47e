import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as readline from 'node:readline';

import { childEnvironment, ConfigError, loadConfig, type WharfConfig } from '@wharf/config';
import {
  createDataSource,
  type EmbeddedPostgresHandle,
  seedDemoServer,
  seedFirstAdmin,
  startEmbeddedPostgres,
} from '@wharf/database';

import { printBanner } from './banner';
import { ensureDatabase, resetDatabase } from './database-admin';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..');
const distNode = path.join(repoRoot, 'dist', 'node');

interface Running {
  embedded: EmbeddedPostgresHandle | undefined;
  /** SIGKILL a child that has not exited by then: longer than the worker's drain grace. */
  killAfterMs: number;
  children: ChildProcess[];
  stopping: boolean;
}

/**
 * `npm start`: one command for evaluation and development. Starts (or reuses)
 * PostgreSQL, migrates, seeds, then runs the api and one FTP worker as child
 * processes and prints where everything is. Ctrl-C stops all of it.
 */
export async function main(args: string[]): Promise<void> {
  let config: WharfConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const running: Running = {
    embedded: undefined,
    killAfterMs: (config.worker.drainGraceSeconds + 15) * 1000,
    children: [],
    stopping: false,
  };
  installSignalHandlers(running);

  const databaseUrl = await resolveDatabase(config, running);
  const dbCommand = args[args.indexOf('--db') + 1];
  if (args.includes('--db')) {
    if (dbCommand === 'setup') {
      const { admin } = await migrateAndSeed(config, databaseUrl, { demo: false });
      if (admin.created)
        printBanner(config, { embedded: false, admin, demo: null, setupOnly: true });
    } else {
      await runDatabaseCommand(databaseUrl, dbCommand);
    }
    await shutdown(running, 0);
    return;
  }

  const seeded = await migrateAndSeed(config, databaseUrl);
  const env = childEnvironment({
    DATABASE_URL: databaseUrl,
    WHARF_ADMIN_UI_DIR: config.adminUiDir ?? path.join(repoRoot, 'dist', 'admin'),
    WHARF_DATA_DIR: config.dataDir,
  });
  running.children.push(
    startChild('api', path.join(distNode, 'apps/api/src/main.js'), env, running),
    startChild('worker', path.join(distNode, 'apps/ftp-worker/src/main.js'), env, running),
  );
  if (args.includes('--dev')) {
    // `npm run dev`: the admin UI from Vite with hot reload, proxying /api to the api.
    running.children.push(
      startChild('vite', path.join(repoRoot, 'node_modules/vite/bin/vite.js'), env, running, [
        '--config',
        'apps/admin/vite.config.mts',
      ]),
    );
  }
  await waitForReady(config, running);
  printBanner(config, {
    embedded: running.embedded !== undefined,
    admin: seeded.admin,
    demo: seeded.demo,
    devUi: args.includes('--dev') ? 'http://127.0.0.1:5173/' : undefined,
  });
}

async function resolveDatabase(config: WharfConfig, running: Running): Promise<string> {
  if (config.databaseUrl) return config.databaseUrl;
  const dir = path.join(config.dataDir, 'postgres');
  await mkdir(config.dataDir, { recursive: true });
  console.log(`wharf: starting embedded PostgreSQL in ${dir}`);
  running.embedded = await startEmbeddedPostgres(dir);
  const url = new URL(running.embedded.url);
  url.pathname = '/wharf';
  await ensureDatabase(running.embedded.url, 'wharf');
  return url.toString();
}

async function runDatabaseCommand(databaseUrl: string, command: string | undefined): Promise<void> {
  const ds = createDataSource(databaseUrl);
  await ds.initialize();
  try {
    switch (command) {
      case 'migrate': {
        const applied = await ds.runMigrations({ transaction: 'each' });
        console.log(`wharf: ${applied.length} migration(s) applied`);
        break;
      }
      case 'revert':
        await ds.undoLastMigration({ transaction: 'each' });
        console.log('wharf: last migration reverted');
        break;
      case 'reset':
        await resetDatabase(ds);
        console.log(
          `wharf: database reset, ${(await ds.runMigrations({ transaction: 'each' })).length} migration(s) applied`,
        );
        break;
      default:
        throw new Error(`unknown --db command "${command ?? ''}" (setup, migrate, revert, reset)`);
    }
  } finally {
    await ds.destroy();
  }
}

async function migrateAndSeed(config: WharfConfig, databaseUrl: string, options = { demo: true }) {
  const ds = createDataSource(databaseUrl, { poolSize: 2, applicationName: 'wharf-launcher' });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    if (applied.length > 0) console.log(`wharf: ${applied.length} migration(s) applied`);
    const admin = await seedFirstAdmin(ds, {
      username: config.seed.adminUsername,
      password: config.seed.adminPassword,
    });
    const demo = !options.demo
      ? null
      : await seedDemoServer(ds, {
          bindAddress: config.ftp.host,
          port: config.ftp.port,
          passivePorts: config.ftp.passivePorts,
          publicHost: config.ftp.publicHost,
        });
    return { admin, demo };
  } finally {
    await ds.destroy();
  }
}

function startChild(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  running: Running,
  args: string[] = [],
): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', script, ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => console.log(prefix + line));
  }
  child.on('exit', (code, signal) => {
    if (running.stopping) return;
    console.error(
      `wharf: ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`,
    );
    void shutdown(running, 1);
  });
  return child;
}

async function waitForReady(config: WharfConfig, running: Running): Promise<void> {
  const url = `http://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${config.api.port}/readyz`;
  const deadline = Date.now() + 60_000;
  while (!running.stopping && Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!running.stopping) throw new Error(`the api did not become ready at ${url} within 60 s`);
}

function installSignalHandlers(running: Running): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (running.stopping) return;
      console.log(`\nwharf: ${signal} received, stopping api, worker and database...`);
      void shutdown(running, 0);
    });
  }
}

async function shutdown(running: Running, code: number): Promise<void> {
  if (running.stopping && code === 0) return;
  running.stopping = true;
  await Promise.all(
    running.children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), running.killAfterMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  if (running.embedded) {
    await running.embedded.stop().catch(() => undefined);
  }
  process.exit(code);
}
