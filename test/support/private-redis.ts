/*
 * A redis-server of a suite's own, for tests that stop or kill Redis: the
 * machine's shared Redis must never be stopped or flushed. Listens on
 * 127.0.0.1 only, on a free port, persists nothing unless asked to.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { findFreePort } from '@wharf/database';

import type { ToolProbe } from './require-tool';

export const REDIS_SERVER: ToolProbe = {
  command: 'redis-server',
  versionArgs: ['--version'],
  debianPackage: 'redis-server',
};

export interface PrivateRedis {
  port: number;
  url: string;
  /** SIGKILL: the server vanishes without closing its clients' connections politely. */
  kill(): Promise<void>;
  /** Starts it again on the same port (data is gone unless started with `persist`). */
  restart(): Promise<void>;
  /** Kills it and removes its data directory (if any). */
  destroy(): Promise<void>;
}

export interface PrivateRedisOptions {
  /**
   * Keep what it accepted across kill/restart, like docker-compose.yml's Redis
   * (AOF; BullMQ needs it): `--appendonly yes --appendfsync always` in a
   * temporary directory. Default: nothing persisted.
   */
  persist?: boolean;
}

/** Starts redis-server (`executable` from describeWithTool) and waits until it answers. */
export async function startPrivateRedis(
  executable = 'redis-server',
  options: PrivateRedisOptions = {},
): Promise<PrivateRedis> {
  const port = await findFreePort();
  const dir = options.persist ? await mkdtemp(path.join(os.tmpdir(), 'wharf-redis-')) : undefined;
  const persistence = dir
    ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      executable,
      ['--port', String(port), '--save', '', ...persistence, '--bind', '127.0.0.1'],
      { stdio: 'ignore' },
    );
    await waitForPort(port, 10_000);
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };
  const destroy = async (): Promise<void> => {
    await kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, restart: start, destroy };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
