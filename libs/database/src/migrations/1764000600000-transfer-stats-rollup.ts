import type { MigrationInterface, QueryRunner } from 'typeorm';

import { ROLLUP_UNITS, rollupTable, TRANSFER_STATS_ROLLUP_REBUILD } from '../transfer-stats-rollup';

/**
 * Hourly and daily roll-ups for the stats endpoint (libs/database/src/transfer-stats-rollup.ts),
 * backfilled from the rows already in transfer_logs. Before them the endpoint
 * read every transfer row of its range: 16.8 s for 90 days at 10 M rows
 * (docs/BENCHMARKS.md "Control plane").
 *
 * The keys hold NULLs (events without a server, user or address), and a NULL
 * must match a NULL for the upsert to add to the same row: UNIQUE NULLS NOT
 * DISTINCT, PostgreSQL 15 or later (docker-compose runs 17, embedded 18).
 * The unique index leads with the hour (day), which serves the stats' range scans.
 */
export class TransferStatsRollup1764000600000 implements MigrationInterface {
  name = 'TransferStatsRollup1764000600000';

  async up(q: QueryRunner): Promise<void> {
    for (const unit of ROLLUP_UNITS) {
      // fillfactor 70: room on each page for the new version of an updated
      // counter row (a HOT update, no index entry): every batch updates the current period's rows.
      const transfers = rollupTable('transfer_stats', unit);
      await q.query(`CREATE TABLE "${transfers}" (
          "at" timestamptz NOT NULL,
          "server_id" uuid,
          "user_id" uuid,
          "username" text,
          "slot" smallint NOT NULL,
          "uploads" bigint NOT NULL,
          "downloads" bigint NOT NULL,
          "bytes_in" bigint NOT NULL,
          "bytes_out" bigint NOT NULL,
          "failed" bigint NOT NULL,
          "aborted" bigint NOT NULL,
          CONSTRAINT "UQ_${transfers}_key" UNIQUE NULLS NOT DISTINCT
            ("at", "server_id", "user_id", "username", "slot")
        ) WITH (fillfactor = 70)`);
      const failed = rollupTable('failed_logins', unit);
      await q.query(`CREATE TABLE "${failed}" (
          "at" timestamptz NOT NULL,
          "client_ip" inet,
          "slot" smallint NOT NULL,
          "count" bigint NOT NULL,
          CONSTRAINT "UQ_${failed}_key" UNIQUE NULLS NOT DISTINCT ("at", "client_ip", "slot")
        ) WITH (fillfactor = 70)`);
    }
    for (const statement of TRANSFER_STATS_ROLLUP_REBUILD) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const unit of ROLLUP_UNITS) {
      await q.query(`DROP TABLE "${rollupTable('failed_logins', unit)}"`);
      await q.query(`DROP TABLE "${rollupTable('transfer_stats', unit)}"`);
    }
  }
}
