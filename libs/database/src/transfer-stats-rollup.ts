/**
 * Hourly and daily roll-ups of transfer_logs for the dashboard's stats
 * (`GET /api/v1/transfers/stats`), so a 90-day range reads sums per day and
 * user instead of every transfer of the range (docs/design/2026-11-25-transfer-stats-rollup.md).
 *
 * - `transfer_stats_hourly` / `_daily`: per UTC hour (day) x server x user
 *   (id and name) x slot, uploads and downloads (counts and bytes) and how
 *   many of them failed or were aborted.
 * - `failed_logins_hourly` / `_daily`: per UTC hour (day) x client address x
 *   slot, the failed logins.
 *
 * All four are maintained by the statement that inserts a batch into
 * transfer_logs, from its `RETURNING` rows: only rows actually inserted are
 * counted, so a re-delivered batch or an event seen twice adds nothing.
 *
 * `slot` (0 to ROLLUP_SLOTS - 1, chosen per batch by the ingesting process)
 * spreads one period's counters over several rows: batches ingested at the
 * same time then update different rows instead of waiting for each other's
 * row locks until commit (every batch of a busy hour touches the same users).
 * Readers sum over the slots.
 *
 * Rows deleted from transfer_logs (dropped partitions) stay counted here.
 */

/** Rows per period and key that concurrent batches spread their updates over. */
export const ROLLUP_SLOTS = 4;

export type RollupUnit = 'hour' | 'day';
export const ROLLUP_UNITS: readonly RollupUnit[] = ['hour', 'day'];

const SUFFIX: Record<RollupUnit, string> = { hour: 'hourly', day: 'daily' };

/** `transfer_stats_hourly`, `failed_logins_daily`... */
export const rollupTable = (kind: 'transfer_stats' | 'failed_logins', unit: RollupUnit): string =>
  `${kind}_${SUFFIX[unit]}`;

/** The UTC hour or day a timestamptz expression falls in, as a timestamptz. */
export const utcStart = (unit: RollupUnit, column: string): string =>
  `date_trunc('${unit}', ${column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;

/**
 * Upserts that add the rows of `source` (transfer_logs columns; a table or a
 * CTE such as the ingest's `inserted`) to the roll-ups of `unit`, in slot
 * `slot` (an SQL expression). Keys are grouped and sorted so that batches
 * sharing a slot take the rows' locks in one order.
 */
export function transferStatsRollupUpserts(
  source: string,
  slot: string,
  unit: RollupUnit,
): { transfers: string; failedLogins: string } {
  const counted = (operation: string, what = '1') =>
    `coalesce(sum(${what}) FILTER (WHERE s."operation" = '${operation}'), 0)`;
  const at = utcStart(unit, 's."occurred_at"');
  const table = (kind: 'transfer_stats' | 'failed_logins') => rollupTable(kind, unit);
  return {
    transfers: `INSERT INTO "${table('transfer_stats')}" AS r
        ("at", "server_id", "user_id", "username", "slot",
         "uploads", "downloads", "bytes_in", "bytes_out", "failed", "aborted")
      SELECT ${at}, s."server_id", s."user_id", s."username", ${slot},
             ${counted('upload')}, ${counted('download')},
             ${counted('upload', 's."bytes"')}, ${counted('download', 's."bytes"')},
             count(*) FILTER (WHERE s."outcome" = 'failed'), count(*) FILTER (WHERE s."outcome" = 'aborted')
        FROM ${source} s
       WHERE s."operation" IN ('upload', 'download')
       GROUP BY 1, 2, 3, 4
       ORDER BY 1, 2, 3, 4
      ON CONFLICT ON CONSTRAINT "UQ_${table('transfer_stats')}_key" DO UPDATE
        SET "uploads" = r."uploads" + EXCLUDED."uploads",
            "downloads" = r."downloads" + EXCLUDED."downloads",
            "bytes_in" = r."bytes_in" + EXCLUDED."bytes_in",
            "bytes_out" = r."bytes_out" + EXCLUDED."bytes_out",
            "failed" = r."failed" + EXCLUDED."failed",
            "aborted" = r."aborted" + EXCLUDED."aborted"`,
    failedLogins: `INSERT INTO "${table('failed_logins')}" AS r ("at", "client_ip", "slot", "count")
      SELECT ${at}, s."client_ip", ${slot}, count(*)
        FROM ${source} s
       WHERE s."operation" = 'login-failed'
       GROUP BY 1, 2
       ORDER BY 1, 2
      ON CONFLICT ON CONSTRAINT "UQ_${table('failed_logins')}_key" DO UPDATE
        SET "count" = r."count" + EXCLUDED."count"`,
  };
}

/** Every roll-up upsert for `source`, hourly ones first (one lock order for all batches). */
export const allRollupUpserts = (source: string, slot: string): string[] =>
  ROLLUP_UNITS.flatMap((unit) => {
    const { transfers, failedLogins } = transferStatsRollupUpserts(source, slot, unit);
    return [transfers, failedLogins];
  });

/**
 * Rebuilds the roll-ups from transfer_logs (the migration's backfill, and
 * the bench after a bulk load that bypassed ingestion), all in slot 0. Run it
 * in one transaction: the SHARE lock keeps batches from landing between the
 * truncate and the recount.
 */
export const TRANSFER_STATS_ROLLUP_REBUILD: readonly string[] = [
  `LOCK TABLE "transfer_logs" IN SHARE MODE`,
  `TRUNCATE ${ROLLUP_UNITS.flatMap((u) => [
    rollupTable('transfer_stats', u),
    rollupTable('failed_logins', u),
  ])
    .map((t) => `"${t}"`)
    .join(', ')}`,
  ...allRollupUpserts('"transfer_logs"', '0'),
];
