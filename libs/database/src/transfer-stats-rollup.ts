/**
 * Hourly roll-ups of transfer_logs for the dashboard's stats
 * (`GET /api/v1/transfers/stats`), so a 90-day range reads a few thousand
 * rows of sums instead of every transfer of the range
 * (docs/design/transfer-stats-rollup.md).
 *
 * - `transfer_stats_hourly`: per UTC hour x server x user (id and name) x
 *   slot, uploads and downloads (counts and bytes) and how many of them
 *   failed or were aborted.
 * - `failed_logins_hourly`: per UTC hour x client address x slot, the failed logins.
 *
 * Both are maintained by the statement that inserts a batch into
 * transfer_logs, from its `RETURNING` rows: only rows actually inserted are
 * counted, so a re-delivered batch or an event seen twice adds nothing.
 *
 * `slot` (0 to ROLLUP_SLOTS - 1, chosen per batch by the ingesting process)
 * spreads one hour's counters over several rows: batches ingested at the same
 * time then update different rows instead of waiting for each other's row
 * locks until commit (every batch of a busy hour touches the same users).
 * Readers sum over the slots.
 *
 * Rows deleted from transfer_logs (dropped partitions) stay counted here.
 */

/** Rows per hour and key that concurrent batches spread their updates over. */
export const ROLLUP_SLOTS = 4;

/** The UTC hour a timestamptz expression falls in, as a timestamptz. */
export const utcHour = (column: string): string =>
  `date_trunc('hour', ${column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;

/**
 * Upserts that add the rows of `source` (transfer_logs columns; a table or a
 * CTE such as the ingest's `inserted`) to both roll-ups, in roll-up slot
 * `slot` (an SQL expression). Keys are grouped and sorted so that batches
 * sharing a slot take the rows' locks in one order.
 */
export function transferStatsRollupUpserts(
  source: string,
  slot: string,
): { transfers: string; failedLogins: string } {
  const counted = (operation: string, what = '1') =>
    `sum(${what}) FILTER (WHERE s."operation" = '${operation}')`;
  return {
    transfers: `INSERT INTO "transfer_stats_hourly" AS r
        ("hour", "server_id", "user_id", "username", "slot",
         "uploads", "downloads", "bytes_in", "bytes_out", "failed", "aborted")
      SELECT ${utcHour('s."occurred_at"')}, s."server_id", s."user_id", s."username", ${slot},
             coalesce(${counted('upload')}, 0), coalesce(${counted('download')}, 0),
             coalesce(${counted('upload', 's."bytes"')}, 0), coalesce(${counted('download', 's."bytes"')}, 0),
             count(*) FILTER (WHERE s."outcome" = 'failed'), count(*) FILTER (WHERE s."outcome" = 'aborted')
        FROM ${source} s
       WHERE s."operation" IN ('upload', 'download')
       GROUP BY 1, 2, 3, 4
       ORDER BY 1, 2, 3, 4
      ON CONFLICT ON CONSTRAINT "UQ_transfer_stats_hourly_key" DO UPDATE
        SET "uploads" = r."uploads" + EXCLUDED."uploads",
            "downloads" = r."downloads" + EXCLUDED."downloads",
            "bytes_in" = r."bytes_in" + EXCLUDED."bytes_in",
            "bytes_out" = r."bytes_out" + EXCLUDED."bytes_out",
            "failed" = r."failed" + EXCLUDED."failed",
            "aborted" = r."aborted" + EXCLUDED."aborted"`,
    failedLogins: `INSERT INTO "failed_logins_hourly" AS r ("hour", "client_ip", "slot", "count")
      SELECT ${utcHour('s."occurred_at"')}, s."client_ip", ${slot}, count(*)
        FROM ${source} s
       WHERE s."operation" = 'login-failed'
       GROUP BY 1, 2
       ORDER BY 1, 2
      ON CONFLICT ON CONSTRAINT "UQ_failed_logins_hourly_key" DO UPDATE
        SET "count" = r."count" + EXCLUDED."count"`,
  };
}

const REBUILD = transferStatsRollupUpserts('"transfer_logs"', '0');

/**
 * Rebuilds both roll-ups from transfer_logs (the migration's backfill, and
 * the bench after a bulk load that bypassed ingestion), all in slot 0. Run it
 * in one transaction: the SHARE lock keeps batches from landing between the
 * truncate and the recount.
 */
export const TRANSFER_STATS_ROLLUP_REBUILD: readonly string[] = [
  `LOCK TABLE "transfer_logs" IN SHARE MODE`,
  `TRUNCATE "transfer_stats_hourly", "failed_logins_hourly"`,
  REBUILD.transfers,
  REBUILD.failedLogins,
];
