import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { findFreePort } from '@wharf/database';

const repoRoot = path.resolve(__dirname, '..', '..');

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The newcomer's path: `npm start` without DATABASE_URL or REDIS_URL starts
 * an embedded PostgreSQL, migrates, seeds, runs api + worker, prints the
 * credentials once, and Ctrl-C leaves nothing running.
 */
describe('npm start without DATABASE_URL (embedded PostgreSQL)', () => {
  const dataDir = path.join(os.tmpdir(), `wharf-launch-${process.pid}-${Date.now()}`);
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reaches /readyz, logs in with the printed credentials, and stops cleanly on SIGINT', async () => {
    await mkdir(dataDir, { recursive: true, mode: 0o755 });
    const apiPort = await findFreePort();
    const ftpPort = await findFreePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      WHARF_DATA_DIR: dataDir,
      WHARF_API_PORT: String(apiPort),
      WHARF_FTP_PORT: String(ftpPort),
      WHARF_FTP_PASSIVE_PORTS: '29400-29419',
      WHARF_LOG_LEVEL: 'warn',
    };
    child = spawn(process.execPath, ['apps/launcher/start.js'], { cwd: repoRoot, env });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));

    const deadline = Date.now() + 240_000;
    while (!/Press Ctrl-C to stop/.test(output)) {
      if (child.exitCode !== null) throw new Error(`launcher exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`launcher not ready in time:\n${output}`);
      await new Promise((r) => setTimeout(r, 500));
    }

    const ready = await fetch(`http://127.0.0.1:${apiPort}/readyz`);
    expect(ready.status).toBe(200);

    const credentials = /First admin\s+(\S+) \/ (\S+)/.exec(output);
    expect(credentials).not.toBeNull();
    const login = await fetch(`http://127.0.0.1:${apiPort}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: credentials![1], password: credentials![2] }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { accessToken: string }).accessToken).toEqual(
      expect.any(String),
    );

    // postmaster.pid: line 4 is the port PostgreSQL listens on.
    const postmaster = await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
    const pgPort = Number(postmaster.split('\n')[3]);
    expect(await portOpen(pgPort)).toBe(true);

    const exited = new Promise<number | null>((resolve) =>
      child!.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await portOpen(apiPort)).toBe(false);
    expect(await portOpen(pgPort)).toBe(false);
  }, 300_000);
});
