import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@wharf/config';
import { MaintenanceJobName, QueueName } from '@wharf/contracts';
import { queueOptions } from '@wharf/database';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';

import { QuotaModule } from './quota.module';
import { QuotaRepository } from './quota.repository';
import {
  createFtpUser,
  limits,
  MiB,
  openTestDataSource,
  quotaService,
  usageOf,
} from './quota.testing';
import { QuotaReconcileService } from './quota-reconcile.service';

describe('quota reconcile job (real PostgreSQL, disk and queue)', () => {
  let ds: DataSource;
  let root: string;

  beforeAll(async () => {
    ds = await openTestDataSource(6);
    root = await mkdtemp(path.join(tmpdir(), 'wharf-reconcile-'));
  });

  afterAll(async () => {
    await ds.destroy();
    await rm(root, { recursive: true, force: true });
  });

  /** A home with 3 files (1000 + 200 + 30 bytes, one in a subdirectory) and an upload in progress. */
  async function populate(homeDir: string, tempAge = 0): Promise<string> {
    const home = path.join(root, homeDir);
    await mkdir(path.join(home, 'sub', 'deeper'), { recursive: true });
    await writeFile(path.join(home, 'a.bin'), Buffer.alloc(1000));
    await writeFile(path.join(home, 'sub', 'b.bin'), Buffer.alloc(200));
    await writeFile(path.join(home, 'sub', 'deeper', 'c.bin'), Buffer.alloc(30));
    const temp = path.join(home, 'sub', `.wharf-upload-${randomUUID()}.part`);
    await writeFile(temp, Buffer.alloc(5000));
    if (tempAge > 0) {
      const then = new Date(Date.now() - tempAge);
      await utimes(temp, then, then);
    }
    return home;
  }

  const reconciler = (staleTempFileAgeMs = 24 * 3600 * 1000) =>
    new QuotaReconcileService(new QuotaRepository(ds), {
      storageRoot: root,
      staleWorkerAfterSeconds: 15,
      staleTempFileAgeMs,
    });

  it('waits for usage written behind before it corrects, so a new file is not counted twice', async () => {
    const user = await createFtpUser(ds);
    const home = await populate(user.homeDir);
    const { service } = await quotaService(ds);
    const session = await service.openSession({
      userId: user.id,
      sessionId: 's-behind',
      limits: limits(),
    });
    await ds.query(`UPDATE usage SET used_bytes = 1230, used_files = 3 WHERE ftp_user_id = $1`, [
      user.id,
    ]);
    // A fourth file lands; its usage waits in the buffer (written within a second).
    await writeFile(path.join(home, 'new.bin'), Buffer.alloc(70));
    const upload = await session.openUpload('/new.bin', { existingSize: null, keep: 0 });
    await upload.commit(70);
    expect(service.deltas.size).toBe(1);

    const result = await new QuotaReconcileService(new QuotaRepository(ds), {
      storageRoot: root,
      staleWorkerAfterSeconds: 15,
      staleTempFileAgeMs: 24 * 3600 * 1000,
      settleMs: 1500,
    }).run({ userIds: [user.id] });
    // The scan saw the file, the buffer's write moved the counters meanwhile: left alone.
    expect(result).toMatchObject({ corrected: 0, busy: 1 });
    expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 1300, usedFiles: 4 });
  });

  it('corrects drift, records it, and leaves users with uploads in progress alone', async () => {
    const drifted = await createFtpUser(ds);
    const busy = await createFtpUser(ds);
    const exact = await createFtpUser(ds);
    await populate(drifted.homeDir, 48 * 3600 * 1000);
    await populate(busy.homeDir);
    await populate(exact.homeDir);
    await ds.query(
      `INSERT INTO usage (ftp_user_id, used_bytes, used_files) VALUES ($1, 99999, 7), ($2, 5, 1), ($3, 1230, 3)`,
      [drifted.id, busy.id, exact.id],
    );
    // `busy` has an upload running on a live worker.
    const workerId = `w-live-${randomUUID().slice(0, 6)}`;
    await ds.query(
      `INSERT INTO workers (id, hostname, version, started_at, last_heartbeat_at, status)
       VALUES ($1, 'h', 'v', now(), now(), 'running')`,
      [workerId],
    );
    const session = await (
      await quotaService(ds, workerId)
    ).service.openSession({
      userId: busy.id,
      sessionId: 's1',
      limits: {
        quotaBytes: null,
        quotaFiles: null,
        uploadQuotaBytes: null,
        downloadQuotaBytes: null,
        quotaPeriod: 'month',
      },
    });
    await session.beginUpload('/x', { existingSize: null, keep: 0 });

    const scope = { userIds: [drifted.id, busy.id, exact.id] };
    const result = await reconciler().run(scope);
    expect(result).toMatchObject({ users: 3, corrected: 1, busy: 1, missingHomes: 0 });
    expect(result.staleTempFilesRemoved).toBeGreaterThanOrEqual(1);

    expect(await usageOf(ds, drifted.id)).toMatchObject({ usedBytes: 1230, usedFiles: 3 });
    expect(await usageOf(ds, busy.id)).toMatchObject({ usedBytes: 5, usedFiles: 1 });
    expect(await usageOf(ds, exact.id)).toMatchObject({ usedBytes: 1230, usedFiles: 3 });

    const corrections = (await ds.query(
      `SELECT ftp_user_id, username, kind, used_bytes_before, used_bytes_after,
              used_files_before, used_files_after
         FROM usage_corrections WHERE ftp_user_id = ANY($1::uuid[])`,
      [[drifted.id, busy.id, exact.id]],
    )) as Record<string, unknown>[];
    expect(corrections).toEqual([
      {
        ftp_user_id: drifted.id,
        username: drifted.username,
        kind: 'drift',
        used_bytes_before: '99999',
        used_bytes_after: '1230',
        used_files_before: '7',
        used_files_after: '3',
      },
    ]);

    // Once the upload is over, the next run fixes `busy` too.
    await session.close();
    await reconciler().run(scope);
    expect(await usageOf(ds, busy.id)).toMatchObject({ usedBytes: 1230, usedFiles: 3 });
  });

  it('drops the reservations of a worker killed mid-upload and records them', async () => {
    const user = await createFtpUser(ds);
    const workerId = `w-dead-${randomUUID().slice(0, 6)}`;
    await ds.query(
      `INSERT INTO workers (id, hostname, version, started_at, last_heartbeat_at, status)
       VALUES ($1, 'h', 'v', now() - interval '1 hour', now(), 'running')`,
      [workerId],
    );
    const session = await (
      await quotaService(ds, workerId)
    ).service.openSession({
      userId: user.id,
      sessionId: 's-dead',
      limits: {
        quotaBytes: 10 * MiB,
        quotaFiles: null,
        uploadQuotaBytes: null,
        downloadQuotaBytes: null,
        quotaPeriod: 'month',
      },
    });
    const upload = await session.beginUpload('/big.bin', { existingSize: null, keep: 0 });
    expect(await upload.reserve(4 * MiB)).toBe(true);
    const scope = { userIds: [user.id] };
    expect(await reconciler().run(scope)).toMatchObject({ droppedReservations: 0 });
    expect((await usageOf(ds, user.id)).reservedBytes).toBe(4 * MiB);

    // kill -9: the heartbeat stops.
    await ds.query(
      `UPDATE workers SET last_heartbeat_at = now() - interval '1 minute' WHERE id = $1`,
      [workerId],
    );
    const result = await reconciler().run(scope);
    expect(result.droppedReservations).toBe(1);
    expect(await usageOf(ds, user.id)).toMatchObject({
      usedBytes: 0,
      usedFiles: 0,
      reservedBytes: 0,
      reservedFiles: 0,
    });
    const rows = (await ds.query(
      `SELECT kind, worker_id, reserved_bytes_released, reserved_files_released, details->>'path' AS path
         FROM usage_corrections WHERE ftp_user_id = $1`,
      [user.id],
    )) as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        kind: 'dead-worker-reservation',
        worker_id: workerId,
        reserved_bytes_released: String(4 * MiB),
        reserved_files_released: '1',
        path: '/big.bin',
      },
    ]);
  });

  it("gives a dead worker's upload transfer-quota charge back, so the user can upload again", async () => {
    const user = await createFtpUser(ds);
    const dead = `w-dead-${randomUUID().slice(0, 6)}`;
    const live = `w-live-${randomUUID().slice(0, 6)}`;
    await ds.query(
      `INSERT INTO workers (id, hostname, version, started_at, last_heartbeat_at, status)
       VALUES ($1, 'h', 'v', now() - interval '1 hour', now(), 'running'),
              ($2, 'h', 'v', now() - interval '1 hour', now(), 'running')`,
      [dead, live],
    );
    const limits = {
      quotaBytes: null,
      quotaFiles: null,
      uploadQuotaBytes: 8 * MiB,
      downloadQuotaBytes: null,
      quotaPeriod: 'day' as const,
    };
    const first = await (
      await quotaService(ds, dead)
    ).service.openSession({ userId: user.id, sessionId: 's-dead-tq', limits });
    const upload = await first.beginUpload('/big.bin', { existingSize: null, keep: 0 });
    expect(await upload.reserve(8 * MiB)).toBe(true);
    expect((await usageOf(ds, user.id)).periodUploadBytes).toBe(8 * MiB);

    // kill -9 mid-upload: the transfer quota is used up by bytes that never landed.
    await ds.query(
      `UPDATE workers SET last_heartbeat_at = now() - interval '1 minute' WHERE id = $1`,
      [dead],
    );
    const second = await (
      await quotaService(ds, live)
    ).service.openSession({ userId: user.id, sessionId: 's-live-tq', limits });
    const retry = await second.beginUpload('/big.bin', { existingSize: null, keep: 0 });
    expect(await retry.reserve(1 * MiB)).toBe(false);

    const result = await reconciler().run({ userIds: [user.id] });
    expect(result.droppedReservations).toBe(1);
    expect(await usageOf(ds, user.id)).toMatchObject({ reservedBytes: 0, periodUploadBytes: 0 });
    const rows = (await ds.query(
      `SELECT details->>'uploadBytesReleased' AS released FROM usage_corrections
        WHERE ftp_user_id = $1 AND kind = 'dead-worker-reservation'`,
      [user.id],
    )) as { released: string }[];
    expect(rows).toEqual([{ released: String(8 * MiB) }]);
    expect(await retry.reserve(8 * MiB)).toBe(true);
    await retry.commit(8 * MiB);
    expect(await usageOf(ds, user.id)).toMatchObject({
      usedBytes: 8 * MiB,
      usedFiles: 1,
      periodUploadBytes: 8 * MiB,
    });
  });

  it('issues a bounded number of statements per page of users, not some per user', async () => {
    const users = await Promise.all(Array.from({ length: 50 }, () => createFtpUser(ds)));
    await Promise.all(users.map((u) => mkdir(path.join(root, u.homeDir), { recursive: true })));
    // Every statement of QuotaRepository runs on a query runner of its own.
    const runners = jest.spyOn(ds, 'createQueryRunner');
    try {
      const result = await reconciler().run({ userIds: users.map((u) => u.id) });
      expect(result).toMatchObject({ users: 50, corrected: 0, busy: 0, missingHomes: 0 });
      // Dead reservations, two pages of users (50, then none), usage rows, counters, reservations.
      expect(runners.mock.calls.length).toBeLessThanOrEqual(6);
    } finally {
      runners.mockRestore();
    }
    expect(await usageOf(ds, users[49]!.id)).toMatchObject({ usedBytes: 0, usedFiles: 0 });
  });

  it('is scheduled once across workers and runs from the maintenance queue', async () => {
    const prefix = `qtest-${randomUUID().slice(0, 8)}`;
    const env = {
      DATABASE_URL: process.env.WHARF_TEST_DATABASE_URL,
      REDIS_URL: process.env.WHARF_TEST_REDIS_URL,
      WHARF_QUEUE_PREFIX: prefix,
      WHARF_STORAGE_ROOT: root,
    };
    const user = await createFtpUser(ds);
    await populate(user.homeDir);
    await ds.query(`INSERT INTO usage (ftp_user_id, used_bytes, used_files) VALUES ($1, 1, 1)`, [
      user.id,
    ]);
    const apps = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const config = loadConfig({ ...env, WHARF_WORKER_ID: `w-sched-${name}-${prefix}` });
        const app = await NestFactory.createApplicationContext(
          QuotaModule.forRoot(config, {
            schedule: { everyMs: 400, scope: { userIds: [user.id] } },
          }),
          { logger: false },
        );
        await app.init();
        return { app, config };
      }),
    );
    const queue = new Queue(
      QueueName.Maintenance,
      queueOptions(apps[0]!.config, process.env.WHARF_TEST_DATABASE_URL!),
    );
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toEqual([MaintenanceJobName.QuotaReconcile]);
      const deadline = Date.now() + 20_000;
      while ((await usageOf(ds, user.id)).usedBytes !== 1230 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 1230, usedFiles: 3 });
    } finally {
      await queue.removeJobScheduler(MaintenanceJobName.QuotaReconcile);
      await queue.close();
      await Promise.all(apps.map(({ app }) => app.close()));
    }
  });
});
