import { randomUUID } from 'node:crypto';

import type { DataSource } from 'typeorm';

import { QuotaErrorCode } from './quota.exception';
import { QuotaRepository } from './quota.repository';
import {
  createFtpUser,
  limits,
  MiB,
  openTestDataSource,
  quotaService,
  usageOf,
} from './quota.testing';

describe('QuotaService (real PostgreSQL)', () => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openTestDataSource(12);
  });

  afterAll(async () => {
    await ds.destroy();
  });

  const open = async (
    userId: string,
    quota: Parameters<typeof limits>[0],
    q?: Awaited<ReturnType<typeof quotaService>>,
  ) =>
    (q ?? (await quotaService(ds))).service.openSession({
      userId,
      sessionId: randomUUID(),
      limits: limits(quota),
    });

  describe('storage reservations', () => {
    it('lets exactly one of two concurrent reservations win when together they exceed the quota', async () => {
      const user = await createFtpUser(ds);
      // Two workers, two sessions of the same user.
      const a = await open(user.id, { quotaBytes: 10 * MiB });
      const b = await open(user.id, { quotaBytes: 10 * MiB });
      const ua = await a.beginUpload('/a.bin', { existingSize: null, keep: 0 });
      const ub = await b.beginUpload('/b.bin', { existingSize: null, keep: 0 });
      const results = await Promise.all([ua.reserve(6 * MiB), ub.reserve(6 * MiB)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await usageOf(ds, user.id)).reservedBytes).toBe(6 * MiB);
    });

    it('never grants more than the quota under many concurrent reservations', async () => {
      const user = await createFtpUser(ds);
      const sessions = await Promise.all(
        Array.from({ length: 10 }, () => open(user.id, { quotaBytes: 10 * MiB })),
      );
      const uploads = await Promise.all(
        sessions.map((s, i) => s.beginUpload(`/f${i}`, { existingSize: null, keep: 0 })),
      );
      const results = await Promise.all(uploads.map((u) => u.reserve(3 * MiB)));
      expect(results.filter(Boolean)).toHaveLength(3);
      const usage = await usageOf(ds, user.id);
      expect(usage.reservedBytes).toBe(9 * MiB);
      const [{ sum }] = (await ds.query(
        `SELECT coalesce(sum(bytes), 0)::bigint AS sum FROM usage_reservations WHERE ftp_user_id = $1`,
        [user.id],
      )) as [{ sum: string }];
      expect(Number(sum)).toBe(9 * MiB);
    });

    it('gives everything back on abort and on release', async () => {
      const user = await createFtpUser(ds, { quota_bytes: 10 * MiB });
      const session = await open(user.id, { quotaBytes: 10 * MiB, uploadQuotaBytes: 20 * MiB });
      const upload = await session.beginUpload('/x', { existingSize: null, keep: 0 });
      expect(await upload.reserve(4 * MiB)).toBe(true);
      expect(await upload.reserve(4 * MiB)).toBe(true);
      await session.release(3 * MiB, '/x');
      let usage = await usageOf(ds, user.id);
      expect(usage.reservedBytes).toBe(5 * MiB);
      expect(usage.periodUploadBytes).toBe(5 * MiB);
      await upload.abort();
      usage = await usageOf(ds, user.id);
      expect(usage).toMatchObject({
        usedBytes: 0,
        usedFiles: 0,
        reservedBytes: 0,
        reservedFiles: 0,
        periodUploadBytes: 0,
      });
      // The engine's release after an abort is a no-op, not a second give-back.
      await session.release(4 * MiB, '/x');
      expect((await usageOf(ds, user.id)).reservedBytes).toBe(0);
      expect(
        await ds.query(`SELECT 1 FROM usage_reservations WHERE ftp_user_id = $1`, [user.id]),
      ).toHaveLength(0);
    });

    it('refuses a reservation without an open upload (FileSystem not wrapped)', async () => {
      const user = await createFtpUser(ds);
      const session = await open(user.id, {});
      await expect(session.reserve(1, '/nope')).rejects.toMatchObject({
        code: QuotaErrorCode.NoActiveUpload,
      });
    });
  });

  describe('commit deltas', () => {
    const seed = async (usedBytes: number, usedFiles: number) => {
      const user = await createFtpUser(ds);
      await ds.query(
        `INSERT INTO usage (ftp_user_id, used_bytes, used_files) VALUES ($1, $2, $3)`,
        [user.id, usedBytes, usedFiles],
      );
      return user;
    };

    it('a new file adds its size and one file; the unreceived reservation goes back', async () => {
      const user = await seed(0, 0);
      const session = await open(user.id, { quotaBytes: 100 * MiB });
      const upload = await session.beginUpload('/new', { existingSize: null, keep: 0 });
      expect((await usageOf(ds, user.id)).reservedFiles).toBe(1);
      expect(await upload.reserve(4 * MiB)).toBe(true);
      await upload.commit(1000);
      // The engine then releases what it reserved beyond the bytes: a no-op now.
      await session.release(4 * MiB - 1000, '/new');
      expect(await usageOf(ds, user.id)).toMatchObject({
        usedBytes: 1000,
        usedFiles: 1,
        reservedBytes: 0,
        reservedFiles: 0,
        periodUploadBytes: 1000,
      });
    });

    it('an overwrite counts only the growth (or the shrink) and no new file', async () => {
      const user = await seed(5000, 3);
      const session = await open(user.id, {});
      const upload = await session.beginUpload('/f', { existingSize: 2000, keep: 0 });
      expect(await upload.reserve(4 * MiB)).toBe(true);
      await upload.commit(500);
      expect(await usageOf(ds, user.id)).toMatchObject({
        usedBytes: 3500,
        usedFiles: 3,
        reservedBytes: 0,
        periodUploadBytes: 500,
      });
    });

    it('an append (APPE) counts the appended bytes', async () => {
      const user = await seed(5000, 3);
      const session = await open(user.id, {});
      const upload = await session.beginUpload('/f', { existingSize: 2000, keep: 2000 });
      expect(await upload.reserve(4 * MiB)).toBe(true);
      await upload.commit(2600);
      expect(await usageOf(ds, user.id)).toMatchObject({
        usedBytes: 5600,
        usedFiles: 3,
        periodUploadBytes: 600,
      });
    });

    it('a REST + STOR restart counts the growth beyond the old size only', async () => {
      const user = await seed(5000, 3);
      const session = await open(user.id, {});
      // Restart at 1500 of a 2000-byte file, 800 bytes received: 2300 in the end.
      const upload = await session.beginUpload('/f', { existingSize: 2000, keep: 1500 });
      expect(await upload.reserve(4 * MiB)).toBe(true);
      await upload.commit(2300);
      expect(await usageOf(ds, user.id)).toMatchObject({
        usedBytes: 5300,
        usedFiles: 3,
        periodUploadBytes: 800,
      });
    });

    it('a delete takes the file off; counters never go below zero', async () => {
      const user = await seed(5000, 3);
      const session = await open(user.id, { quotaBytes: 10_000 });
      await session.recordRemoval(2000, 1);
      expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 3000, usedFiles: 2 });
      await session.recordRemoval(9000, 9);
      expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 0, usedFiles: 0 });
    });

    it('writes the usage of a user no quota limits behind, in one statement for many users', async () => {
      const q = await quotaService(ds);
      const apply = jest.spyOn(QuotaRepository.prototype, 'applyUsageDeltas');
      try {
        const a = await seed(5000, 3);
        const b = await seed(100, 1);
        const first = await open(a.id, {}, q);
        const second = await open(b.id, {}, q);
        await first.recordRemoval(2000, 1);
        const upload = await second.openUpload('/new', { existingSize: null, keep: 0 });
        await upload.commit(40);
        expect(await second.chargeDownload(7)).not.toBeNull();
        // Nothing waited for the database: the rows are as they were.
        expect(await usageOf(ds, a.id)).toMatchObject({ usedBytes: 5000, usedFiles: 3 });
        expect(await usageOf(ds, b.id)).toMatchObject({ usedBytes: 100, usedFiles: 1 });
        expect(
          await ds.query(`SELECT 1 FROM usage_reservations WHERE ftp_user_id = $1`, [b.id]),
        ).toHaveLength(0);

        await first.recordRemoval(9000, 9);
        await q.service.deltas.flush();
        expect(apply).toHaveBeenCalledTimes(1);
        expect(await usageOf(ds, a.id)).toMatchObject({ usedBytes: 0, usedFiles: 0 });
        expect(await usageOf(ds, b.id)).toMatchObject({
          usedBytes: 140,
          usedFiles: 2,
          periodUploadBytes: 40,
          periodDownloadBytes: 7,
        });
      } finally {
        apply.mockRestore();
      }
    });

    it('writes what a session counted behind when the session closes', async () => {
      const q = await quotaService(ds);
      const user = await seed(0, 0);
      const session = await open(user.id, {}, q);
      const upload = await session.openUpload('/f', { existingSize: null, keep: 0 });
      await upload.commit(123);
      await session.close();
      expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 123, usedFiles: 1 });
    });

    it('a full file quota refuses a new file but not an overwrite', async () => {
      const user = await seed(10, 2);
      const session = await open(user.id, { quotaFiles: 2 });
      await expect(
        session.beginUpload('/third', { existingSize: null, keep: 0 }),
      ).rejects.toMatchObject({ code: QuotaErrorCode.UploadRefused });
      const overwrite = await session.beginUpload('/first', { existingSize: 5, keep: 0 });
      await overwrite.commit(7);
      expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 12, usedFiles: 2 });
    });
  });

  describe('transfer quotas', () => {
    it('counts uploads per UTC day and starts again at midnight', async () => {
      const user = await createFtpUser(ds);
      const q = await quotaService(ds, undefined, { now: new Date('2026-11-25T23:59:30Z') });
      const session = await open(user.id, { uploadQuotaBytes: 5 * MiB, quotaPeriod: 'day' }, q);
      const first = await session.beginUpload('/a', { existingSize: null, keep: 0 });
      expect(await first.reserve(4 * MiB)).toBe(true);
      await first.commit(4 * MiB);
      const second = await session.beginUpload('/b', { existingSize: null, keep: 0 });
      expect(await second.reserve(2 * MiB)).toBe(false);
      expect(await session.available()).toBe(1 * MiB);
      q.clock.now = new Date('2026-11-26T00:00:00Z');
      expect(await session.available()).toBe(5 * MiB);
      expect(await second.reserve(2 * MiB)).toBe(true);
      const usage = await usageOf(ds, user.id);
      expect(usage.periodStart?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
      expect(usage.periodUploadBytes).toBe(2 * MiB);
    });

    it('counts per UTC month: the last second of January and the first of February', async () => {
      const user = await createFtpUser(ds);
      const q = await quotaService(ds, undefined, { now: new Date('2027-01-31T23:59:59Z') });
      const session = await open(user.id, { downloadQuotaBytes: 3 * MiB }, q);
      expect(await session.chargeDownload(3 * MiB)).not.toBeNull();
      expect(await session.chargeDownload(1)).toBeNull();
      expect(await session.downloadRemaining()).toBe(0);
      q.clock.now = new Date('2027-02-01T00:00:00Z');
      expect(await session.downloadRemaining()).toBe(3 * MiB);
      const period = await session.chargeDownload(2 * MiB);
      expect(period?.toISOString()).toBe('2027-02-01T00:00:00.000Z');
      await session.refundDownload(1 * MiB, period!);
      expect((await usageOf(ds, user.id)).periodDownloadBytes).toBe(1 * MiB);
    });

    it('AVBL is the smaller of storage and transfer quota, null when unlimited', async () => {
      const user = await createFtpUser(ds, { quota_bytes: 10 * MiB, upload_quota_bytes: 8 * MiB });
      const q = await quotaService(ds);
      const session = await q.service.openSession({ userId: user.id, sessionId: 's' });
      expect(session.limits).toMatchObject({ quotaBytes: 10 * MiB, uploadQuotaBytes: 8 * MiB });
      await ds.query(`UPDATE usage SET used_bytes = $2 WHERE ftp_user_id = $1`, [user.id, 4 * MiB]);
      expect(await q.service.available(user.id)).toBe(6 * MiB);
      const upload = await session.beginUpload('/a', { existingSize: null, keep: 0 });
      expect(await upload.reserve(3 * MiB)).toBe(true);
      expect(await session.available()).toBe(3 * MiB);
      const free = await createFtpUser(ds);
      expect(await q.service.available(free.id)).toBeNull();
    });
  });

  describe('worker death', () => {
    it('drops the reservations of dead, stopped and restarted workers, and only those', async () => {
      const user = await createFtpUser(ds);
      const repo = new QuotaRepository(ds);
      const ids = {
        live: `w-live-${randomUUID().slice(0, 6)}`,
        stale: `w-stale-${randomUUID().slice(0, 6)}`,
        stopped: `w-stop-${randomUUID().slice(0, 6)}`,
        restarted: `w-rest-${randomUUID().slice(0, 6)}`,
      };
      const register = (id: string, beatAgoS: number, status = 'running') =>
        ds.query(
          `INSERT INTO workers (id, hostname, version, started_at, last_heartbeat_at, status)
           VALUES ($1, 'h', 'v', now() - interval '1 hour', now() - make_interval(secs => $2), $3)`,
          [id, beatAgoS, status],
        );
      await register(ids.live, 1);
      await register(ids.stale, 60);
      await register(ids.stopped, 1, 'stopped');
      await register(ids.restarted, 1);
      const sessions = await Promise.all(
        Object.values(ids).map(async (w) =>
          open(user.id, { quotaBytes: 100 * MiB }, await quotaService(ds, w)),
        ),
      );
      for (const s of sessions) {
        const u = await s.beginUpload('/f', { existingSize: null, keep: 0 });
        expect(await u.reserve(1 * MiB)).toBe(true);
      }
      // The "restarted" worker came back: its old reservation belonged to the previous run.
      await ds.query(`UPDATE workers SET started_at = now() WHERE id = $1`, [ids.restarted]);
      expect((await usageOf(ds, user.id)).reservedBytes).toBe(4 * MiB);

      const dropped = await repo.dropDeadReservations(15);
      const mine = dropped
        .filter((d) => d.userId === user.id)
        .map((d) => d.workerId)
        .sort();
      expect(mine).toEqual([ids.restarted, ids.stale, ids.stopped].sort());
      expect(await usageOf(ds, user.id)).toMatchObject({
        reservedBytes: 1 * MiB,
        reservedFiles: 1,
      });
      // The live one can still commit, and the dead ones' late commits do not double-release.
      await sessions[0]!.close();
      expect(await usageOf(ds, user.id)).toMatchObject({ reservedBytes: 0, reservedFiles: 0 });
    });

    it('releases its own leftovers at boot', async () => {
      const user = await createFtpUser(ds);
      const workerId = `w-boot-${randomUUID().slice(0, 6)}`;
      const session = await open(
        user.id,
        { quotaBytes: 100 * MiB },
        await quotaService(ds, workerId),
      );
      const u = await session.beginUpload('/f', { existingSize: null, keep: 0 });
      expect(await u.reserve(2 * MiB)).toBe(true);
      // The process dies; a new one with the same id starts.
      await (await quotaService(ds, workerId)).service.onModuleInit();
      expect(await usageOf(ds, user.id)).toMatchObject({ reservedBytes: 0, reservedFiles: 0 });
      const rows = (await ds.query(
        `SELECT kind, reserved_bytes_released FROM usage_corrections WHERE ftp_user_id = $1`,
        [user.id],
      )) as { kind: string; reserved_bytes_released: string }[];
      expect(rows).toEqual([
        { kind: 'dead-worker-reservation', reserved_bytes_released: String(2 * MiB) },
      ]);
      // The dead upload's later reserve is refused rather than leaking bytes.
      expect(await u.reserve(1 * MiB)).toBe(false);
      expect((await usageOf(ds, user.id)).reservedBytes).toBe(0);
    });
  });
});
