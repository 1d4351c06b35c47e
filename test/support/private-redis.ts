/*
 * A redis-server of a suite's own, for tests that stop or kill Redis: the
 * machine's shared Redis must never be stopped or flushed. Listens on
 * 127.0.0.1 only, on a free port, persists nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import * as net from 'node:net';

import { findFreePort } from '@wharf/database';

import type { ToolProbe } from '../interop/require-tool';

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
  /** Starts it again on the same port (data is gone: nothing is persisted). */
  restart(): Promise<void>;
}

/** Starts redis-server (`executable` from describeWithTool) and waits until it answers. */
export async function startPrivateRedis(executable = 'redis-server'): Promise<PrivateRedis> {
  const port = await findFreePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      executable,
      ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'],
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
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, restart: start };
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
