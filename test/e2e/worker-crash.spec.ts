/*
 * `kill -9` of an FTP worker in the middle of an upload (issue 4 §8). The api
 * runs in-process; the two workers are real processes of the built worker
 * (test/support/worker-process.ts), against the run's PostgreSQL and queue
 * backend, with the api test app's own queue prefix. The reconcile is the
 * product's maintenance job (MaintenanceJobName.QuotaReconcile on the
 * `maintenance` queue), taken by the surviving worker.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';

import { MaintenanceJobName, QueueName } from '@wharf/contracts';
import { findFreePort, queueOptions } from '@wharf/database';
import { Client, FTPError } from 'basic-ftp';
import { Job, Queue } from 'bullmq';

// The e2e suite composes the api in this process on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type ApiTestApp, createApiTestApp } from '../../apps/api/src/testing/api-test-app';
import { eventually, waitForFtpListener } from '../support/in-process-worker';
import { createPinnedServer, usageOf } from '../support/rest-fixtures';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

jest.setTimeout(180_000);

const KiB = 1024;
const MiB = 1024 * KiB;

/** An endless upload body: 64 KiB every 20 ms (about 3 MiB/s), until destroyed. */
function slowBody(): Readable {
  const chunk = randomBytes(64 * KiB);
  return new Readable({
    read() {
      setTimeout(() => this.push(chunk), 20);
    },
  });
}

describe('kill -9 of a worker mid-upload (api + two worker processes)', () => {
  let api: ApiTestApp;
  let token: string;
  let maintenance: Queue;
  let storageRoot: string;
  const dirs: string[] = [];
  const processes: WorkerProcess[] = [];
  const suffix = randomBytes(3).toString('hex');
  const workerA = `e2e-ka-${suffix}`;
  const workerB = `e2e-kb-${suffix}`;
  let dataDirA: string;
  let portA: number;
  let portB: number;
  const password = 'correct horse battery staple';
  const databaseUrl = () => process.env.WHARF_TEST_DATABASE_URL!;

  function spawnWorker(id: string, dataDir: string): WorkerProcess {
    const worker = startWorkerProcess({
      id,
      dataDir,
      databaseUrl: databaseUrl(),
      redisUrl: process.env.WHARF_TEST_REDIS_URL,
      queuePrefix: api.config.queue.prefix,
      storageRoot,
    });
    processes.push(worker);
    return worker;
  }

  async function listening(port: number, worker: WorkerProcess): Promise<void> {
    try {
      await waitForFtpListener(port, 60_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}; worker ${worker.id} said:\n${worker.output()}`);
    }
  }

  async function connect(port: number, user: string): Promise<Client> {
    const client = new Client(20_000);
    await client.access({ host: '127.0.0.1', port, user, password });
    return client;
  }

  async function workerStatus(id: string): Promise<string> {
    const res = await api.request('GET', `/api/v1/workers/${id}`, { token });
    if (res.status !== 200) throw new Error(`worker ${id}: ${res.status}`);
    return (res.body as { status: string }).status;
  }

  async function reservations(userId: string): Promise<{ rows: number; bytes: number }> {
    const [held] = (await api.dataSource.query(
      `SELECT count(*) AS n FROM usage_reservations WHERE ftp_user_id = $1`,
      [userId],
    )) as { n: string }[];
    const [counter] = (await api.dataSource.query(
      `SELECT reserved_bytes FROM usage WHERE ftp_user_id = $1`,
      [userId],
    )) as { reserved_bytes: string }[];
    return { rows: Number(held!.n), bytes: Number(counter?.reserved_bytes ?? 0) };
  }

  /**
   * Waits until no `ftp_sessions` row of the user is left: a closed session's
   * row goes once its worker has seen the disconnect (at the latest with its
   * next session report), a killed worker's with the first report of its
   * restart.
   */
  async function sessionRowsGone(userId: string): Promise<void> {
    await eventually(
      async () => {
        const [row] = (await api.dataSource.query(
          `SELECT count(*) AS n FROM ftp_sessions WHERE user_id = $1`,
          [userId],
        )) as { n: string }[];
        return Number(row!.n) === 0 ? true : undefined;
      },
      30_000,
      `no session rows of ${userId}`,
    );
  }

  /** Every regular file under the storage root (relative names), temporaries included. */
  async function filesOnDisk(): Promise<string[]> {
    const files: string[] = [];
    for (const entry of await readdir(storageRoot, { recursive: true, withFileTypes: true })) {
      if (entry.isFile())
        files.push(path.relative(storageRoot, path.join(entry.parentPath, entry.name)));
    }
    return files;
  }
  const isTemp = (name: string) => path.basename(name).startsWith('.wharf-upload-');

  /** Runs the maintenance queue's quota reconcile for one user and returns its result. */
  async function reconcile(userId: string): Promise<Record<string, number>> {
    const job = await maintenance.add(
      MaintenanceJobName.QuotaReconcile,
      { userIds: [userId] },
      { removeOnComplete: false, removeOnFail: false },
    );
    const state = await eventually(
      async () => {
        const s = await maintenance.getJobState(job.id!);
        return s === 'completed' || s === 'failed' ? s : undefined;
      },
      60_000,
      'the quota reconcile job',
    );
    const done = await Job.fromId(maintenance, job.id!);
    if (state !== 'completed') throw new Error(`reconcile ${state}: ${done?.failedReason}`);
    return done!.returnvalue as Record<string, number>;
  }

  beforeAll(async () => {
    api = await createApiTestApp();
    token = api.tokens.admin;
    maintenance = new Queue(QueueName.Maintenance, queueOptions(api.config, databaseUrl()));
    storageRoot = await mkdtemp(path.join(os.tmpdir(), 'wharf-e2e-kill-'));
    dataDirA = await mkdtemp(path.join(os.tmpdir(), `wharf-${workerA}-`));
    const dataDirB = await mkdtemp(path.join(os.tmpdir(), `wharf-${workerB}-`));
    dirs.push(storageRoot, dataDirA, dataDirB);
    portA = await findFreePort();
    portB = await findFreePort();
    const passive = 42_000 + Math.floor(Math.random() * 60) * 100;
    await createPinnedServer(api, token, {
      name: `e2e-ka-${suffix}`,
      port: portA,
      passive,
      workerId: workerA,
    });
    await createPinnedServer(api, token, {
      name: `e2e-kb-${suffix}`,
      port: portB,
      passive: passive + 50,
      workerId: workerB,
    });
    const a = spawnWorker(workerA, dataDirA);
    const b = spawnWorker(workerB, dataDirB);
    await listening(portA, a);
    await listening(portB, b);
  });

  afterAll(async () => {
    for (const p of processes) await p.stop();
    await maintenance?.close();
    await api?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('leaves no file under the final name, heals usage, reservations and the session count, and the worker restarts', async () => {
    const created = await api.request('POST', '/api/v1/ftp-users', {
      token,
      body: { username: `kill-${suffix}`, password, quotaBytes: 200 * MiB, maxSessions: 1 },
    });
    expect(created.status).toBe(201);
    const user = created.body as { id: string; username: string };

    const first = await connect(portA, user.username);
    try {
      await first.uploadFrom(Readable.from([Buffer.from('keep me')]), 'keep.txt');
    } finally {
      first.close();
    }
    expect(await usageOf(api, token, user.id)).toMatchObject({ usedBytes: 7, usedFiles: 1 });

    // The upload that the crash interrupts: bytes flowing, space reserved, a temporary on disk.
    await sessionRowsGone(user.id);
    const uploader = await connect(portA, user.username);
    const body = slowBody();
    const upload = uploader.uploadFrom(body, 'big.bin').then(
      () => 'completed',
      (error: unknown) => `failed: ${(error as Error).message}`,
    );
    await eventually(
      async () => {
        for (const name of (await filesOnDisk()).filter(isTemp)) {
          const size = (await stat(path.join(storageRoot, name)).catch(() => null))?.size ?? 0;
          if (size >= 1 * MiB) return true;
        }
        return undefined;
      },
      60_000,
      'at least 1 MiB of the upload on disk',
    );
    expect((await reservations(user.id)).rows).toBe(1);
    // maxSessions 1 holds across workers while A is alive.
    const refused = await connect(portB, user.username).then(
      (c) => {
        c.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FTPError);
    expect((refused as FTPError).message).toMatch(/too many sessions/);

    const a = processes.find((p) => p.id === workerA)!;
    expect(await a.kill('SIGKILL')).toBe('SIGKILL');
    expect(await upload).toMatch(/^failed: /);
    body.destroy();
    uploader.close();

    // No file under the final name; at most the hidden temporary stays behind.
    const left = await filesOnDisk();
    expect(left.filter((n) => !isTemp(n)).map((n) => path.basename(n))).toEqual(['keep.txt']);

    // Three missed heartbeats: A is stale, and its session no longer counts.
    await eventually(
      async () => ((await workerStatus(workerA)) === 'stale' ? true : undefined),
      30_000,
      `${workerA} marked stale`,
    );
    const second = await connect(portB, user.username);
    try {
      expect((await second.list()).map((f) => f.name)).toEqual(['keep.txt']);
    } finally {
      second.close();
    }

    const result = await reconcile(user.id);
    expect(result).toMatchObject({ users: 1, busy: 0 });
    expect(await reservations(user.id)).toEqual({ rows: 0, bytes: 0 });
    expect(await usageOf(api, token, user.id)).toMatchObject({ usedBytes: 7, usedFiles: 1 });

    // The same worker id starts again on its old data directory and serves.
    const restarted = spawnWorker(workerA, dataDirA);
    await listening(portA, restarted);
    await eventually(
      async () => ((await workerStatus(workerA)) === 'online' ? true : undefined),
      30_000,
      `${workerA} online again`,
    );
    await sessionRowsGone(user.id);
    const again = await connect(portA, user.username);
    try {
      await again.uploadFrom(Readable.from([randomBytes(3000)]), 'after.bin');
      expect((await again.list()).map((f) => f.name).sort()).toEqual(['after.bin', 'keep.txt']);
    } finally {
      again.close();
    }
    expect(await usageOf(api, token, user.id)).toMatchObject({ usedBytes: 3007, usedFiles: 2 });
  });
});
