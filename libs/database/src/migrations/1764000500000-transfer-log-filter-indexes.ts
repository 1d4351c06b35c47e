import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the admin UI's transfer-list filters that had none (issue 6,
 * docs/BENCHMARKS.md "Control plane"). Without them a filter value with few
 * or no matching rows (a rarely seen user, a mistyped name, a new server, one
 * file's path) made PostgreSQL walk the whole 90-day log: 2-3 s at 1 M rows.
 * With `(column, occurred_at)` the newest page is a backward range scan and
 * the capped count an index-only scan, whatever the value's frequency.
 *
 * - username: the filter is `lower(username) = lower($1)`, so the index is on the expression.
 * - path prefix: `path LIKE 'p%' OR target_path LIKE 'p%'` can use a btree only with
 *   text_pattern_ops (the database collation may not be C); target_path is set on
 *   renames only, hence partial.
 *
 * On a partitioned table CREATE INDEX cannot be CONCURRENTLY: it builds on
 * every partition while holding a lock that blocks ingestion, about a minute
 * per 10 M rows on a small machine.
 */
export class TransferLogFilterIndexes1764000500000 implements MigrationInterface {
  name = 'TransferLogFilterIndexes1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "IDX_transfer_logs_username_lower_occurred_at" ON "transfer_logs" (lower("username"), "occurred_at")`,
    );
    await q.query(
      `CREATE INDEX "IDX_transfer_logs_server_id_occurred_at" ON "transfer_logs" ("server_id", "occurred_at")`,
    );
    await q.query(
      `CREATE INDEX "IDX_transfer_logs_worker_id_occurred_at" ON "transfer_logs" ("worker_id", "occurred_at")`,
    );
    await q.query(
      `CREATE INDEX "IDX_transfer_logs_path_pattern" ON "transfer_logs" ("path" text_pattern_ops)`,
    );
    await q.query(
      `CREATE INDEX "IDX_transfer_logs_target_path_pattern" ON "transfer_logs" ("target_path" text_pattern_ops) WHERE "target_path" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_transfer_logs_target_path_pattern"`);
    await q.query(`DROP INDEX "IDX_transfer_logs_path_pattern"`);
    await q.query(`DROP INDEX "IDX_transfer_logs_worker_id_occurred_at"`);
    await q.query(`DROP INDEX "IDX_transfer_logs_server_id_occurred_at"`);
    await q.query(`DROP INDEX "IDX_transfer_logs_username_lower_occurred_at"`);
  }
}
