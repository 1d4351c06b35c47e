import type { MigrationInterface, QueryRunner } from 'typeorm';

import { TRANSFER_STATS_ROLLUP_REBUILD } from '../transfer-stats-rollup';

/**
 * Hourly roll-ups for the stats endpoint (libs/database/src/transfer-stats-rollup.ts),
 * backfilled from the rows already in transfer_logs. Before them the endpoint
 * read every transfer row of its range: 16.8 s for 90 days at 10 M rows
 * (docs/BENCHMARKS.md "Control plane").
 *
 * The keys hold NULLs (events without a server, user or address), and a NULL
 * must match a NULL for the upsert to add to the same row: UNIQUE NULLS NOT
 * DISTINCT, PostgreSQL 15 or later (docker-compose runs 17, embedded 18).
 * The unique index leads with the hour, which serves the stats' range scans.
 */
export class TransferStatsRollup1764000600000 implements MigrationInterface {
  name = 'TransferStatsRollup1764000600000';

  async up(q: QueryRunner): Promise<void> {
    // fillfactor 70: room on each page for the new version of an updated
    // counter row (a HOT update, no index entry), as every batch updates the current hour's rows.
    await q.query(`CREATE TABLE "transfer_stats_hourly" (
        "hour" timestamptz NOT NULL,
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
        CONSTRAINT "UQ_transfer_stats_hourly_key" UNIQUE NULLS NOT DISTINCT
          ("hour", "server_id", "user_id", "username", "slot")
      ) WITH (fillfactor = 70)`);
    await q.query(`CREATE TABLE "failed_logins_hourly" (
        "hour" timestamptz NOT NULL,
        "client_ip" inet,
        "slot" smallint NOT NULL,
        "count" bigint NOT NULL,
        CONSTRAINT "UQ_failed_logins_hourly_key" UNIQUE NULLS NOT DISTINCT ("hour", "client_ip", "slot")
      ) WITH (fillfactor = 70)`);
    for (const statement of TRANSFER_STATS_ROLLUP_REBUILD) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "failed_logins_hourly"`);
    await q.query(`DROP TABLE "transfer_stats_hourly"`);
  }
}
