import { createDataSource } from '@wharf/database';
import { type DataSource, EntityManager } from 'typeorm';

import type { WorkerRegistryService } from '../registry/worker-registry.service';
import {
  ROWS_PER_STATEMENT,
  SessionReporter,
  type SessionSnapshot,
} from './session-reporter.service';

const snapshot = (id: string, overrides: Partial<SessionSnapshot> = {}): SessionSnapshot => ({
  id,
  serverId: null,
  userId: null,
  username: 'erin',
  clientIp: '127.0.0.1',
  clientPort: 50123,
  tls: null,
  loginAt: new Date('2026-11-25T12:00:00Z'),
  currentCommand: 'NOOP',
  bytesTransferred: 0,
  transfer: null,
  ...overrides,
});

describe('SessionReporter (real PostgreSQL)', () => {
  let dataSource: DataSource;
  const workerId = `w-reporter-${process.pid}`;
  const reporter = () =>
    new SessionReporter(dataSource, { workerId } as unknown as WorkerRegistryService);
  const rows = async () =>
    (await dataSource.query(
      `SELECT id, username, current_command, bytes_transferred, transfer
         FROM ftp_sessions WHERE worker_id = $1 ORDER BY id`,
      [workerId],
    )) as { id: string; username: string; current_command: string; bytes_transferred: string }[];

  beforeAll(async () => {
    dataSource = await createDataSource(process.env.WHARF_TEST_DATABASE_URL!).initialize();
    await dataSource.query(
      `INSERT INTO workers (id, hostname, version, started_at, last_heartbeat_at, status)
       VALUES ($1, 'h', '0.1.0', now(), now(), 'running')`,
      [workerId],
    );
  });
  afterAll(async () => {
    await dataSource.query(`DELETE FROM workers WHERE id = $1`, [workerId]);
    await dataSource.destroy();
  });

  it("replaces this worker's rows with each report and removes them all at shutdown", async () => {
    const r = reporter();
    await r.report([snapshot(`${workerId}-a`), snapshot(`${workerId}-b`)]);
    expect((await rows()).map((row) => row.id)).toEqual([`${workerId}-a`, `${workerId}-b`]);

    await r.report([
      snapshot(`${workerId}-b`, {
        currentCommand: 'RETR',
        bytesTransferred: 2048,
        transfer: { direction: 'download', path: '/x', bytes: 2048, startedAt: new Date() },
      }),
    ]);
    const after = await rows();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: `${workerId}-b`,
      current_command: 'RETR',
      bytes_transferred: '2048',
      transfer: { direction: 'download', path: '/x', bytes: 2048 },
    });

    await r.beforeApplicationShutdown();
    expect(await rows()).toEqual([]);
  });

  it('reports more sessions than one statement can carry (65,535 bind parameters)', async () => {
    const r = reporter();
    const many = Array.from({ length: 6000 }, (_, i) =>
      snapshot(`${workerId}-m${String(i).padStart(4, '0')}`, { bytesTransferred: i }),
    );
    await r.report(many);
    const [{ count, total }] = (await dataSource.query(
      `SELECT count(*)::int AS count, sum(bytes_transferred)::bigint AS total
         FROM ftp_sessions WHERE worker_id = $1`,
      [workerId],
    )) as { count: number; total: string }[];
    expect(count).toBe(6000);
    expect(Number(total)).toBe((5999 * 6000) / 2);
    await r.report(many.slice(0, ROWS_PER_STATEMENT + 1));
    expect(await rows()).toHaveLength(ROWS_PER_STATEMENT + 1);
    await r.beforeApplicationShutdown();
  });

  /** The statements (SQL head and parameters) the reporter sends during `run`. */
  const statements = async (run: () => Promise<unknown>) => {
    const spy = jest.spyOn(EntityManager.prototype, 'query');
    try {
      await run();
      return spy.mock.calls.map(([sql, params]) => ({ sql: sql.trim().split(' ')[0], params }));
    } finally {
      spy.mockRestore();
    }
  };
  const updatedAt = async (id: string) =>
    (
      (await dataSource.query(`SELECT updated_at FROM ftp_sessions WHERE id = $1`, [id])) as {
        updated_at: Date;
      }[]
    )[0]?.updated_at;

  it('writes only the sessions whose row changed, deletes ended ones, and rewrites no unchanged row', async () => {
    const r = reporter();
    const [a, b, c] = ['a', 'b', 'c'].map((x) => `${workerId}-${x}`);
    await r.report([snapshot(a), snapshot(b), snapshot(c)]);
    await dataSource.query(
      `UPDATE ftp_sessions SET updated_at = now() - interval '1 minute' WHERE worker_id = $1`,
      [workerId],
    );
    const before = await updatedAt(a);
    const beforeB = await updatedAt(b);

    // Fresh but equal snapshots (new Date objects): only b changed.
    const changed = await statements(() =>
      r.report([snapshot(a), snapshot(b, { bytesTransferred: 10 }), snapshot(c)]),
    );
    expect(changed).toEqual([
      { sql: 'SELECT', params: [workerId] },
      { sql: 'INSERT', params: expect.arrayContaining([b, 10]) as unknown[] },
    ]);
    expect(changed[1]!.params).toHaveLength(12);
    // updatedAt is when the row last changed: b's moved, a's did not.
    expect((await updatedAt(a))!.getTime()).toBe(before!.getTime());
    expect((await updatedAt(b))!.getTime()).toBeGreaterThan(beforeB!.getTime());

    const idle = await statements(() =>
      r.report([snapshot(a), snapshot(b, { bytesTransferred: 10 })]),
    );
    expect(idle).toEqual([
      { sql: 'DELETE', params: [workerId, [c]] },
      { sql: 'SELECT', params: [workerId] },
    ]);
    // Nothing ended, nothing changed: one read, outside any transaction.
    const transactions = jest.spyOn(dataSource, 'transaction');
    expect(
      await statements(() => r.report([snapshot(a), snapshot(b, { bytesTransferred: 10 })])),
    ).toEqual([{ sql: 'SELECT', params: [workerId] }]);
    expect(transactions).not.toHaveBeenCalled();
    transactions.mockRestore();
    expect((await rows()).map((row) => [row.id, row.bytes_transferred])).toEqual([
      [a, '0'],
      [b, '10'],
    ]);
    await r.beforeApplicationShutdown();
  });

  it('makes the report after a failed one a full report', async () => {
    const r = reporter();
    const [a, b, c] = ['a', 'b', 'c'].map((x) => `${workerId}-${x}`);
    await r.report([snapshot(a), snapshot(b)]);
    const now = [snapshot(a), snapshot(b, { currentCommand: 'LIST' }), snapshot(c)];

    const down = jest
      .spyOn(EntityManager.prototype, 'query')
      .mockRejectedValueOnce(new Error('connection terminated'));
    await expect(r.report(now)).rejects.toThrow('connection terminated');
    down.mockRestore();
    // Rows the failed report cannot know about (a row lost while the database was away).
    await dataSource.query(`DELETE FROM ftp_sessions WHERE id = $1`, [a]);

    const full = await statements(() => r.report(now));
    expect(full.map((s) => s.sql)).toEqual(['DELETE', 'INSERT']);
    expect(full[1].params).toHaveLength(3 * 12);
    expect((await rows()).map((row) => [row.id, row.current_command])).toEqual([
      [a, 'NOOP'],
      [b, 'LIST'],
      [c, 'NOOP'],
    ]);
    // ...and the one after it is incremental again.
    expect((await statements(() => r.report(now))).map((s) => s.sql)).toEqual(['SELECT']);
    await r.beforeApplicationShutdown();
  });

  it('replaces all rows in the report after one that found a row of its missing', async () => {
    const r = reporter();
    const [a, b] = ['a', 'b'].map((x) => `${workerId}-${x}`);
    const now = [snapshot(a), snapshot(b)];
    await r.report(now);
    // As logout's releaseSession does before the session goes on unchanged (REIN).
    await dataSource.query(`DELETE FROM ftp_sessions WHERE id = $1`, [a]);

    expect((await statements(() => r.report(now))).map((s) => s.sql)).toEqual(['SELECT']);
    expect((await statements(() => r.report(now))).map((s) => s.sql)).toEqual(['DELETE', 'INSERT']);
    expect((await rows()).map((row) => row.id)).toEqual([a, b]);
    expect((await statements(() => r.report(now))).map((s) => s.sql)).toEqual(['SELECT']);
    await r.beforeApplicationShutdown();
  });

  it('reports periodically from a source once started', async () => {
    const r = reporter();
    let sessions = [snapshot(`${workerId}-p`)];
    r.start(() => sessions, 50);
    try {
      await waitUntil(async () => (await rows()).length === 1);
      sessions = [];
      await waitUntil(async () => (await rows()).length === 0);
    } finally {
      await r.beforeApplicationShutdown();
    }
  });
});

async function waitUntil(condition: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 25));
  }
}
