import { createDataSource } from '@wharf/database';
import type { DataSource } from 'typeorm';

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
