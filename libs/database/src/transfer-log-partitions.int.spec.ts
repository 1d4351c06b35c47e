import { uuidv7 } from '@wharf/contracts';
import type { DataSource } from 'typeorm';

import { createDataSource } from './data-source';
import { ensureTransferLogPartitions, transferLogPartitionName } from './transfer-log-partitions';

/**
 * Uses far-future months (year 2200+, random per run) so it never collides
 * with partitions other test files' api boots create for the current months.
 */
describe('ensureTransferLogPartitions', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = createDataSource(process.env.WHARF_TEST_DATABASE_URL!, { poolSize: 2 });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
  });

  const partitionOf = async (id: string) =>
    (
      (await ds.query(`SELECT tableoid::regclass::text AS t FROM transfer_logs WHERE id = $1`, [
        id,
      ])) as { t: string }[]
    )[0]?.t;

  it('creates monthly partitions ahead, idempotently, and moves rows out of the default partition', async () => {
    const year = 2200 + Math.floor(Math.random() * 700);
    const now = new Date(Date.UTC(year, 10, 15));
    const early = uuidv7();
    await ds.query(
      `INSERT INTO transfer_logs (id, occurred_at, operation, outcome, client_ip, bytes)
       VALUES ($1, $2, 'upload', 'ok', '192.0.2.1', 5)`,
      [early, new Date(Date.UTC(year, 11, 3)).toISOString()],
    );
    expect(await partitionOf(early)).toBe('transfer_logs_default');

    const created = await ensureTransferLogPartitions(ds, 2, now);
    expect(created).toEqual([
      `transfer_logs_y${year}m11`,
      `transfer_logs_y${year}m12`,
      `transfer_logs_y${year + 1}m01`,
    ]);
    expect(await partitionOf(early)).toBe(`transfer_logs_y${year}m12`);
    expect(await ensureTransferLogPartitions(ds, 2, now)).toEqual([]);

    const later = uuidv7();
    await ds.query(
      `INSERT INTO transfer_logs (id, occurred_at, operation, outcome) VALUES ($1, $2, 'login', 'ok')`,
      [later, new Date(Date.UTC(year + 1, 0, 31, 23, 59)).toISOString()],
    );
    expect(await partitionOf(later)).toBe(`transfer_logs_y${year + 1}m01`);
    // Every partitioned index reaches the new partitions: the primary key, four
    // from the control-plane migration, five from the filter-index one.
    const indexes = (await ds.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY indexname`,
      [`transfer_logs_y${year}m12`],
    )) as { indexname: string }[];
    expect(indexes).toHaveLength(10);
  });

  it('concurrent calls do not fail', async () => {
    const now = new Date(Date.UTC(2100 + Math.floor(Math.random() * 99), 3, 1));
    const results = await Promise.all([
      ensureTransferLogPartitions(ds, 1, now),
      ensureTransferLogPartitions(ds, 1, now),
    ]);
    expect(results.flat().sort()).toEqual(
      [
        transferLogPartitionName(now),
        transferLogPartitionName(new Date(Date.UTC(now.getUTCFullYear(), 4, 1))),
      ].sort(),
    );
  });
});
