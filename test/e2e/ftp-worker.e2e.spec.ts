/*
 * The FTP worker end to end: the api in-process and TWO worker application
 * contexts (different WHARF_WORKER_ID), against the run's PostgreSQL and queue
 * backend (Redis when WHARF_TEST_REDIS_URL is set, else BullMQ's PostgreSQL
 * backend; the api test app gives this file its own queue prefix). Servers and
 * users are created over REST; real clients (basic-ftp, curl) do the rest.
 * Worker B reaches PostgreSQL through a proxy the test can switch off, to see
 * a login answered 421 when the database is down.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';

import type { INestApplicationContext } from '@nestjs/common';
import { findFreePort } from '@wharf/database';
import { Client, FTPError } from 'basic-ftp';

// The e2e suite composes both apps in one process on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type ApiTestApp, createApiTestApp } from '../../apps/api/src/testing/api-test-app';
import { download } from '../support/ftp-client';
import { eventually, startInProcessWorker, waitForFtpListener } from '../support/in-process-worker';
import { CURL, describeWithTool } from '../support/require-tool';

const run = promisify(execFile);
jest.setTimeout(120_000);

/** A TCP forwarder to PostgreSQL that can be switched off (every connection cut, port closed). */
class SwitchableProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The reply (code and text) of a failed login, as basic-ftp reports it. */
async function loginError(
  port: number,
  user: string,
  password: string,
): Promise<{ code: number; message: string }> {
  const client = new Client(10_000);
  try {
    await client.access({ host: '127.0.0.1', port, user, password });
    throw new Error(`login of ${user} unexpectedly succeeded`);
  } catch (error) {
    if (error instanceof FTPError) return { code: error.code, message: error.message };
    throw error;
  } finally {
    client.close();
  }
}

describe('ftp-worker end to end (api + two workers)', () => {
  let api: ApiTestApp;
  let token: string;
  const workers: INestApplicationContext[] = [];
  const dirs: string[] = [];
  let storageRoot: string;
  let proxy: SwitchableProxy;
  const suffix = randomBytes(3).toString('hex');
  const workerA = `e2e-a-${suffix}`;
  const workerB = `e2e-b-${suffix}`;
  let portA: number;
  let portB: number;
  /** Passive ports: base..base+49 for A, +50..+99 for B, +100..+149 for C. */
  let passiveBase: number;
  let serverA: { id: string };
  const password = 'correct horse battery staple';

  async function startWorker(id: string, databaseUrl: string): Promise<INestApplicationContext> {
    const worker = await startInProcessWorker({
      id,
      databaseUrl,
      queuePrefix: api.config.queue.prefix,
      storageRoot,
    });
    dirs.push(worker.dataDir);
    workers.push(worker.app);
    return worker.app;
  }

  async function createServer(body: Record<string, unknown>): Promise<{ id: string }> {
    const res = await api.request('POST', '/api/v1/servers', { token, body });
    if (res.status !== 201) throw new Error(`server: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  }

  async function createUser(
    body: Record<string, unknown>,
  ): Promise<{ id: string; username: string }> {
    const res = await api.request('POST', '/api/v1/ftp-users', {
      token,
      body: { password, ...body },
    });
    if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; username: string };
  }

  async function connect(port: number, user: string, secure = false): Promise<Client> {
    const client = new Client(10_000);
    await client.access({
      host: '127.0.0.1',
      port,
      user,
      password,
      secure,
      secureOptions: { rejectUnauthorized: false },
    });
    return client;
  }

  /** Waits until the worker listens on the port (reconcile after the REST create). */
  const listening = (port: number) => waitForFtpListener(port);

  beforeAll(async () => {
    api = await createApiTestApp();
    token = api.tokens.admin;
    storageRoot = await mkdtemp(path.join(os.tmpdir(), 'wharf-e2e-storage-'));
    dirs.push(storageRoot);
    const databaseUrl = process.env.WHARF_TEST_DATABASE_URL!;
    const db = new URL(databaseUrl);
    proxy = new SwitchableProxy(await findFreePort(), {
      host: db.hostname,
      port: Number(db.port || 5432),
    });
    await proxy.up();
    const viaProxy = new URL(databaseUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);

    portA = await findFreePort();
    portB = await findFreePort();
    passiveBase = 40_000 + Math.floor(Math.random() * 150) * 150;
    // Pinned to our own workers, so other suites' workers never bind them.
    serverA = await createServer({
      name: `e2e-a-${suffix}`,
      bindAddress: '127.0.0.1',
      port: portA,
      tlsMode: 'explicit',
      generateSelfSigned: true,
      passivePortMin: passiveBase,
      passivePortMax: passiveBase + 49,
      workerIds: [workerA],
    });
    await createServer({
      name: `e2e-b-${suffix}`,
      bindAddress: '127.0.0.1',
      port: portB,
      passivePortMin: passiveBase + 50,
      passivePortMax: passiveBase + 99,
      workerIds: [workerB],
    });
    await startWorker(workerA, databaseUrl);
    await startWorker(workerB, viaProxy.toString());
    await listening(portA);
    await listening(portB);
  });

  afterAll(async () => {
    await proxy?.up().catch(() => undefined);
    for (const w of workers) await w.close();
    await proxy?.down();
    await api?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('uploads through one worker over FTPS, downloads through the other, and audits both with bytes and sha256', async () => {
    const user = await createUser({ username: `up-${suffix}` });
    const content = randomBytes(300_000);
    const a = await connect(portA, user.username, true);
    try {
      await a.uploadFrom(Readable.from([content]), 'data.bin');
    } finally {
      a.close();
    }
    const b = await connect(portB, user.username);
    try {
      expect(sha256(await download(b, 'data.bin'))).toBe(sha256(content));
    } finally {
      b.close();
    }
    const upload = await eventually(
      async () => {
        const res = await api.request(
          'GET',
          `/api/v1/transfers?username=${user.username}&operation=upload`,
          { token },
        );
        return (res.body as { bytes: number; sha256: string; path: string }[])[0];
      },
      10_000,
      'the upload in the audit trail',
    );
    expect(upload).toMatchObject({ bytes: content.length, sha256: sha256(content) });
    expect(upload.path).toBe('/data.bin');
    const downloadRow = await eventually(
      async () => {
        const res = await api.request(
          'GET',
          `/api/v1/transfers?username=${user.username}&operation=download`,
          { token },
        );
        return (res.body as { bytes: number; workerId: string }[])[0];
      },
      10_000,
      'the download in the audit trail',
    );
    expect(downloadRow).toMatchObject({ bytes: content.length, workerId: workerB });
  });

  it("audits a server's uploads without sha256 while its uploadSha256 is off, and with it once on", async () => {
    const portD = await findFreePort();
    // Shares C's passive range: the engine skips a port another listener holds.
    const server = await createServer({
      name: `e2e-d-${suffix}`,
      bindAddress: '127.0.0.1',
      port: portD,
      passivePortMin: passiveBase + 100,
      passivePortMax: passiveBase + 149,
      uploadSha256: false,
      workerIds: [workerA],
    });
    await listening(portD);
    const user = await createUser({ username: `hash-${suffix}` });
    // Past 1 MiB: the size the engine hashes in a thread, the CPU the setting saves.
    const content = randomBytes(2 * 1024 * 1024 + 7);
    const upload = async (name: string) => {
      const c = await connect(portD, user.username);
      try {
        await c.uploadFrom(Readable.from([content]), name);
      } finally {
        c.close();
      }
    };
    const auditRow = (name: string) =>
      eventually(
        async () => {
          const res = await api.request(
            'GET',
            `/api/v1/transfers?username=${user.username}&operation=upload`,
            { token },
          );
          const rows = res.body as { bytes: number; sha256: string | null; path: string }[];
          return rows.find((r) => r.path === `/${name}`);
        },
        10_000,
        `the upload of ${name} in the audit trail`,
      );

    await upload('unhashed.bin');
    expect(await auditRow('unhashed.bin')).toMatchObject({ bytes: content.length, sha256: null });

    // Turned on: the worker restarts the listener (draining this idle session), then hashes.
    const idle = await connect(portD, user.username);
    try {
      const res = await api.request('PATCH', `/api/v1/servers/${server.id}`, {
        token,
        body: { uploadSha256: true },
      });
      expect(res.status).toBe(200);
      await eventually(
        () => Promise.resolve(idle.closed ? true : undefined),
        10_000,
        'the listener restart',
      );
    } finally {
      idle.close();
    }
    await listening(portD);
    await upload('hashed.bin');
    expect(await auditRow('hashed.bin')).toMatchObject({
      bytes: content.length,
      sha256: sha256(content),
    });
  });

  // Without curl: skipped with the reason printed; with CI=true, a failure.
  describeWithTool(CURL, 'with curl', () => {
    it('lists and transfers with curl, plain and with --ssl-reqd', async () => {
      const user = await createUser({ username: `curl-${suffix}` });
      const content = randomBytes(50_000);
      const c = await connect(portB, user.username);
      try {
        await c.uploadFrom(Readable.from([content]), 'hello.bin');
      } finally {
        c.close();
      }
      const auth = `${user.username}:${password}`;
      const listing = await run('curl', ['-sS', '-u', auth, `ftp://127.0.0.1:${portB}/`]);
      expect(listing.stdout).toContain('hello.bin');
      const fetched = await run(
        'curl',
        ['-sS', '--ssl-reqd', '-k', '-u', auth, `ftp://127.0.0.1:${portA}/hello.bin`],
        { encoding: 'buffer', maxBuffer: 10_000_000 },
      );
      expect(sha256(fetched.stdout)).toBe(sha256(content));
    });
  });

  it('refuses an operation its permission rules do not allow with 550 and the reason', async () => {
    const user = await createUser({
      username: `perm-${suffix}`,
      permissions: [
        { path: '/', allow: ['list', 'download', 'upload', 'mkdir'] },
        { path: '/readonly', allow: ['list', 'download'] },
      ],
    });
    // Made on disk: creating /readonly is itself governed by the read-only rule.
    await mkdir(path.join(storageRoot, user.username, 'readonly'), { recursive: true });
    const c = await connect(portA, user.username);
    try {
      const mkdirRefused = await c.send('MKD /readonly/sub').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect((mkdirRefused as FTPError).code).toBe(550);
      await c.uploadFrom(Readable.from([Buffer.from('ok')]), 'allowed.txt');
      const refused = await c.uploadFrom(Readable.from([Buffer.from('x')]), 'readonly/x.txt').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(FTPError);
      expect((refused as FTPError).code).toBe(550);
      expect((refused as FTPError).message).toMatch(/"upload" is not allowed under \/readonly/);
    } finally {
      c.close();
    }
  });

  it('enforces the rules and limits a user inherits from a group', async () => {
    const group = await api.request('POST', '/api/v1/groups', {
      token,
      body: {
        name: `partners-${suffix}`,
        permissions: [{ path: '/shared', allow: ['list', 'download'] }],
        allowedIps: ['127.0.0.0/8'],
      },
    });
    expect(group.status).toBe(201);
    const user = await createUser({
      username: `grp-${suffix}`,
      groupIds: [(group.body as { id: string }).id],
    });
    await mkdir(path.join(storageRoot, user.username, 'shared'), { recursive: true });
    const c = await connect(portB, user.username);
    try {
      const refused = await c.uploadFrom(Readable.from([Buffer.from('x')]), 'shared/x.txt').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect((refused as FTPError).code).toBe(550);
      expect((refused as FTPError).message).toMatch(/"upload" is not allowed under \/shared/);
      await c.uploadFrom(Readable.from([Buffer.from('ok')]), 'mine.txt');
    } finally {
      c.close();
    }
  });

  it('answers a wrong password and an unknown user with the same 530', async () => {
    const user = await createUser({ username: `pw-${suffix}` });
    const wrong = await loginError(portA, user.username, 'not the password');
    const unknown = await loginError(portA, `nobody-${suffix}`, 'not the password');
    expect(wrong).toEqual({ code: 530, message: '530 Login incorrect.' });
    expect(unknown).toEqual(wrong);
  });

  it('refuses a client outside allowedIps with a clear 530', async () => {
    const user = await createUser({ username: `ip-${suffix}`, allowedIps: ['10.0.0.0/8'] });
    expect(await loginError(portA, user.username, password)).toEqual({
      code: 530,
      message: '530 Login refused: not allowed from your address.',
    });
    const allowed = await createUser({
      username: `ip2-${suffix}`,
      allowedIps: ['10.0.0.0/8', '127.0.0.0/8'],
    });
    (await connect(portA, allowed.username)).close();
  });

  it('makes a requireTls user log in over TLS (534 before AUTH TLS)', async () => {
    const user = await createUser({ username: `tls-${suffix}`, requireTls: true });
    expect(await loginError(portA, user.username, password)).toEqual({
      code: 534,
      message: '534 Policy requires TLS: use AUTH TLS before logging in.',
    });
    const secure = await connect(portA, user.username, true);
    try {
      expect((await secure.list()).length).toBeGreaterThanOrEqual(0);
    } finally {
      secure.close();
    }
  });

  it('holds maxSessions across both workers', async () => {
    const user = await createUser({ username: `max-${suffix}`, maxSessions: 1 });
    const first = await connect(portA, user.username);
    try {
      expect(await loginError(portB, user.username, password)).toEqual({
        code: 530,
        message: '530 Login refused: too many sessions for this account.',
      });
    } finally {
      first.close();
    }
    // The row goes with the session (next report): then the other worker admits the user.
    await eventually(
      async () => {
        try {
          (await connect(portB, user.username)).close();
          return true;
        } catch {
          return undefined;
        }
      },
      5_000,
      'a login once the first session ended',
    );
  });

  it('kicks the sessions of a user disabled over REST within a few seconds', async () => {
    const user = await createUser({ username: `dis-${suffix}` });
    const a = await connect(portA, user.username);
    const b = await connect(portB, user.username);
    const res = await api.request('PATCH', `/api/v1/ftp-users/${user.id}`, {
      token,
      body: { enabled: false },
    });
    expect(res.status).toBe(200);
    await eventually(
      () => Promise.resolve(a.closed && b.closed ? true : undefined),
      5_000,
      'the kick',
    );
    expect(await loginError(portA, user.username, password)).toEqual({
      code: 530,
      message: '530 Login refused: this account is disabled.',
    });
  });

  it('closes a session within a second of DELETE /api/v1/sessions/:id', async () => {
    const user = await createUser({ username: `kick-${suffix}` });
    const c = await connect(portB, user.username);
    const session = await eventually(
      async () => {
        const res = await api.request('GET', `/api/v1/sessions?username=${user.username}`, {
          token,
        });
        return (res.body as { id: string; workerId: string }[])[0];
      },
      5_000,
      'the session in GET /sessions',
    );
    expect(session.workerId).toBe(workerB);
    const res = await api.request('DELETE', `/api/v1/sessions/${session.id}`, { token });
    expect(res.status).toBeLessThan(300);
    const kickedAt = Date.now();
    await eventually(() => Promise.resolve(c.closed ? true : undefined), 3_000, 'the kick');
    expect(Date.now() - kickedAt).toBeLessThan(1000);
  });

  it('hot-swaps a certificate without dropping sessions', async () => {
    const user = await createUser({ username: `cert-${suffix}` });
    const fingerprint = (c: Client) =>
      (c.ftp.socket as TLSSocket).getPeerCertificate().fingerprint256;
    const old = await connect(portA, user.username, true);
    try {
      const before = fingerprint(old);
      const res = await api.request('PATCH', `/api/v1/servers/${serverA.id}`, {
        token,
        body: { generateSelfSigned: true },
      });
      expect(res.status).toBe(200);
      await eventually(
        async () => {
          const fresh = await connect(portA, user.username, true);
          const now = fingerprint(fresh);
          fresh.close();
          return now !== before ? now : undefined;
        },
        10_000,
        'the new certificate',
      );
      expect(await old.pwd()).toBe('/');
    } finally {
      old.close();
    }
  });

  it('reports a port it cannot bind, then moves and stops the listener as the row changes', async () => {
    const squatter = net.createServer();
    const busyPort = await findFreePort();
    await new Promise<void>((resolve) => squatter.listen(busyPort, '127.0.0.1', resolve));
    try {
      const server = await createServer({
        name: `e2e-e-${suffix}`,
        bindAddress: '127.0.0.1',
        port: busyPort,
        passivePortMin: passiveBase + 100,
        passivePortMax: passiveBase + 149,
        workerIds: [workerA],
      });
      const error = await eventually(
        async () => {
          const rows = (await api.dataSource.query(`SELECT "meta" FROM "workers" WHERE "id" = $1`, [
            workerA,
          ])) as { meta: { listeners?: { serverId: string; error: string | null }[] } }[];
          return rows[0]?.meta.listeners?.find((l) => l.serverId === server.id)?.error ?? undefined;
        },
        10_000,
        'the bind error in the heartbeat meta',
      );
      expect(error).toMatch(/EADDRINUSE/);
      // The worker keeps serving its other server.
      const user = await createUser({ username: `bind-${suffix}` });
      (await connect(portA, user.username)).close();

      const freePort = await findFreePort();
      await api.request('PATCH', `/api/v1/servers/${server.id}`, {
        token,
        body: { port: freePort },
      });
      await listening(freePort);
      const status = await eventually(
        async () => {
          const res = await api.request('GET', `/api/v1/servers/${server.id}/status`, { token });
          const mine = (res.body as { workers: { id: string; listening: boolean | null }[] })
            .workers;
          return mine.find((w) => w.id === workerA && w.listening) ? mine : undefined;
        },
        10_000,
        'listening: true in the server status',
      );
      expect(status.map((w) => w.id)).toEqual([workerA]);

      await api.request('PATCH', `/api/v1/servers/${server.id}`, {
        token,
        body: { enabled: false },
      });
      await eventually(
        () =>
          new Promise<true | undefined>((resolve) => {
            const socket = net.connect(freePort, '127.0.0.1');
            socket.once('connect', () => {
              socket.destroy();
              resolve(undefined);
            });
            socket.once('error', () => resolve(true));
          }),
        10_000,
        'the disabled server to stop listening',
      );
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('drains on shutdown: a running transfer finishes within the grace period, then 421', async () => {
    const workerC = `e2e-c-${suffix}`;
    const portC = await findFreePort();
    await createServer({
      name: `e2e-c-${suffix}`,
      bindAddress: '127.0.0.1',
      port: portC,
      passivePortMin: passiveBase + 100,
      passivePortMax: passiveBase + 149,
      workerIds: [workerC],
    });
    const drained = await startWorker(workerC, process.env.WHARF_TEST_DATABASE_URL!);
    await listening(portC);
    // 120 kB at 100 kB/s: the download outlives the SIGTERM but not the 2 s grace.
    const user = await createUser({ username: `drain-${suffix}`, downloadBandwidth: 100_000 });
    const content = randomBytes(120_000);
    const idle = await connect(portC, user.username);
    const busy = await connect(portC, user.username);
    await busy.uploadFrom(Readable.from([content]), 'big.bin');
    const downloading = download(busy, 'big.bin');
    await new Promise((r) => setTimeout(r, 300));
    const idleReply = new Promise<string>((resolve) => {
      idle.ftp.socket.on('data', (chunk: Buffer) => resolve(chunk.toString()));
    });
    await drained.close();
    workers.splice(workers.indexOf(drained), 1);
    expect(sha256(await downloading)).toBe(sha256(content));
    expect(await idleReply).toMatch(/^421 /);
    const row = await api.dataSource.query(`SELECT "status" FROM "workers" WHERE "id" = $1`, [
      workerC,
    ]);
    expect(row).toEqual([{ status: 'stopped' }]);
    idle.close();
    busy.close();
  });

  it('answers 421 when the database is unreachable at login, never logging in from a cache', async () => {
    const user = await createUser({ username: `db-${suffix}` });
    // A first login puts the password in the verified-password cache.
    (await connect(portB, user.username)).close();
    await proxy.down();
    try {
      const refused = await loginError(portB, user.username, password);
      expect(refused.code).toBe(421);
      expect(refused.message).toMatch(/temporarily unavailable/);
    } finally {
      await proxy.up();
    }
  });
});
