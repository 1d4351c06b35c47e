import type { DataSource } from 'typeorm';

/** Arbitrary constant: serialises partition maintenance across api replicas. */
const PARTITION_LOCK_KEY = 7_364_001;

function monthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month, 1));
}

/** `transfer_logs_y2026m11` for November 2026. */
export function transferLogPartitionName(start: Date): string {
  const month = String(start.getUTCMonth() + 1).padStart(2, '0');
  return `transfer_logs_y${start.getUTCFullYear()}m${month}`;
}

/**
 * Makes sure monthly partitions of transfer_logs exist from the current month
 * (UTC) through `monthsAhead` months ahead. Idempotent and safe to run from
 * several processes at once. Rows that already landed in the default partition
 * for a new month are moved into it, because PostgreSQL refuses to attach a
 * partition whose range the default partition already holds rows for.
 * Returns the names of the partitions it created.
 */
export async function ensureTransferLogPartitions(
  dataSource: DataSource,
  monthsAhead = 3,
  now: Date = new Date(),
): Promise<string[]> {
  const created: string[] = [];
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    const existing = new Set(
      (
        (await manager.query(
          `SELECT c.relname AS name FROM pg_inherits i
             JOIN pg_class c ON c.oid = i.inhrelid
             JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = 'transfer_logs'`,
        )) as { name: string }[]
      ).map((r) => r.name),
    );
    for (let offset = 0; offset <= monthsAhead; offset++) {
      const from = monthStart(now.getUTCFullYear(), now.getUTCMonth() + offset);
      const to = monthStart(from.getUTCFullYear(), from.getUTCMonth() + 1);
      const name = transferLogPartitionName(from);
      if (existing.has(name)) continue;
      // Built detached, filled from the default partition, then attached.
      await manager.query(
        `CREATE TABLE "${name}" (LIKE "transfer_logs" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
      );
      await manager.query(
        `WITH moved AS (
           DELETE FROM "transfer_logs_default"
            WHERE "occurred_at" >= $1 AND "occurred_at" < $2
           RETURNING *)
         INSERT INTO "${name}" SELECT * FROM moved`,
        [from.toISOString(), to.toISOString()],
      );
      await manager.query(
        `ALTER TABLE "transfer_logs" ATTACH PARTITION "${name}"
           FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      );
      created.push(name);
    }
  });
  return created;
}
