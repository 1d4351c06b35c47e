import { Inject, Injectable } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import type { TransferStats } from '@wharf/contracts';
import { DataSource } from 'typeorm';

import { validationFailed } from '../common/errors';
import { WHARF_CONFIG } from '../config.token';
import { liveSessionsClause } from '../sessions/live-sessions';

const MAX_BUCKETS = 2000;

/**
 * The range [$1, $2) in three layers (see splitRange()): whole UTC days
 * [$5, $6) from the daily roll-ups, the whole hours around them [$3, $5) and
 * [$6, $4) from the hourly ones, and the partial hours at either end,
 * [$1, $3) and [$4, $2), from transfer_logs itself.
 */
const DAYS = (at: string) => `${at} >= $5 AND ${at} < $6`;
const HOURS = (at: string) => `(${at} >= $3 AND ${at} < $5 OR ${at} >= $6 AND ${at} < $4)`;
const EDGES = `(l."occurred_at" >= $1 AND l."occurred_at" < $3 OR l."occurred_at" >= $4 AND l."occurred_at" < $2)`;

const TRANSFER_ROLLUP = (table: string, where: string) => `
  SELECT r."at", r."username", r."bytes_in", r."bytes_out", r."uploads" + r."downloads" AS transfers
    FROM "${table}" r
   WHERE ${where}`;

/** Uploads and downloads of the range as (at, username, bytes_in, bytes_out, transfers). */
const TRANSFER_FACTS = `
  ${TRANSFER_ROLLUP('transfer_stats_daily', DAYS('r."at"'))}
  UNION ALL
  ${TRANSFER_ROLLUP('transfer_stats_hourly', HOURS('r."at"'))}
  UNION ALL
  SELECT l."occurred_at", l."username",
         CASE WHEN l."operation" = 'upload' THEN l."bytes" ELSE 0 END,
         CASE WHEN l."operation" = 'download' THEN l."bytes" ELSE 0 END,
         1
    FROM "transfer_logs" l
   WHERE l."operation" IN ('upload', 'download') AND ${EDGES}`;

/** Failed logins of the range as (client_ip, count), layered as TRANSFER_FACTS. */
const FAILED_LOGIN_FACTS = `
  SELECT f."client_ip", f."count" FROM "failed_logins_daily" f WHERE ${DAYS('f."at"')}
  UNION ALL
  SELECT f."client_ip", f."count" FROM "failed_logins_hourly" f WHERE ${HOURS('f."at"')}
  UNION ALL
  SELECT l."client_ip", 1
    FROM "transfer_logs" l
   WHERE l."operation" = 'login-failed' AND ${EDGES}`;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The whole `unit`s inside [from, to) as [first, end); when there is none, both are `to`. */
function whole(from: Date, to: Date, unit: number): { first: Date; end: Date } {
  const first = Math.ceil(from.getTime() / unit) * unit;
  const end = Math.floor(to.getTime() / unit) * unit;
  return first < end ? { first: new Date(first), end: new Date(end) } : { first: to, end: to };
}

export interface RangeLayers {
  /** Whole UTC hours: [hourFirst, hourEnd). */
  hourFirst: Date;
  hourEnd: Date;
  /** Whole UTC days inside those: [dayFirst, dayEnd). */
  dayFirst: Date;
  dayEnd: Date;
}

/**
 * Splits [from, to) into whole days, the whole hours around them and the
 * partial hours at either end. `days: false` leaves the days out (for hourly
 * buckets, which a daily sum cannot fill).
 */
export function splitRange(from: Date, to: Date, days = true): RangeLayers {
  const hours = whole(from, to, HOUR_MS);
  const inner = days ? whole(hours.first, hours.end, DAY_MS) : { first: hours.end, end: hours.end };
  return { hourFirst: hours.first, hourEnd: hours.end, dayFirst: inner.first, dayEnd: inner.end };
}

const params = (from: Date, to: Date, l: RangeLayers): string[] =>
  [from, to, l.hourFirst, l.hourEnd, l.dayFirst, l.dayEnd].map((d) => d.toISOString());

/**
 * The dashboard's numbers (`GET /api/v1/transfers/stats`), from the daily
 * and hourly roll-ups that ingestion maintains (libs/database/src/transfer-stats-rollup.ts),
 * so the cost follows the days and hours in the range, not its events.
 */
@Injectable()
export class TransferStatsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async stats(query: Record<string, unknown>): Promise<TransferStats> {
    const { from, to, bucket } = this.statsRange(query);
    const range = params(from, to, splitRange(from, to));
    // Hourly buckets cannot be filled from daily sums.
    const bucketRange = bucket === 'hour' ? params(from, to, splitRange(from, to, false)) : range;
    const [buckets, topUsers, failedByIp, failedTotal, live, users] = await Promise.all([
      this.dataSource.query(
        `WITH series AS (
           SELECT generate_series(
             date_trunc('${bucket}', $1::timestamptz AT TIME ZONE 'UTC'),
             ($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC',
             interval '1 ${bucket}') AS at
         ), moved AS (
           SELECT date_trunc('${bucket}', t.at AT TIME ZONE 'UTC') AS at,
                  sum(t.bytes_in) AS bytes_in, sum(t.bytes_out) AS bytes_out,
                  sum(t.transfers) AS transfers
             FROM (${TRANSFER_FACTS}) t
            GROUP BY 1)
         SELECT s.at AT TIME ZONE 'UTC' AS at, coalesce(m.bytes_in, 0) AS bytes_in, coalesce(m.bytes_out, 0) AS bytes_out,
                coalesce(m.transfers, 0) AS transfers
           FROM series s LEFT JOIN moved m ON m.at = s.at
          ORDER BY s.at`,
        bucketRange,
      ) as Promise<{ at: Date; bytes_in: string; bytes_out: string; transfers: string }[]>,
      this.dataSource.query(
        `SELECT t."username", sum(t.bytes_in + t.bytes_out) AS bytes
           FROM (${TRANSFER_FACTS}) t
          WHERE t."username" IS NOT NULL
          GROUP BY t."username"
          ORDER BY bytes DESC, t."username"
          LIMIT 10`,
        range,
      ) as Promise<{ username: string; bytes: string }[]>,
      this.dataSource.query(
        `SELECT host(f."client_ip") AS client_ip, sum(f."count") AS count
           FROM (${FAILED_LOGIN_FACTS}) f
          WHERE f."client_ip" IS NOT NULL
          GROUP BY f."client_ip"
          ORDER BY count DESC, f."client_ip"
          LIMIT 10`,
        range,
      ) as Promise<{ client_ip: string; count: string }[]>,
      this.dataSource.query(
        `SELECT coalesce(sum(f."count"), 0) AS count FROM (${FAILED_LOGIN_FACTS}) f`,
        range,
      ) as Promise<{ count: string }[]>,
      this.dataSource.query(
        `SELECT count(*) AS count FROM "ftp_sessions" s JOIN "workers" w ON w."id" = s."worker_id"
          WHERE ${liveSessionsClause('w', this.config.worker.heartbeatSeconds)}`,
      ) as Promise<{ count: string }[]>,
      this.dataSource.query(`SELECT count(*) AS count FROM "ftp_users"`) as Promise<
        { count: string }[]
      >,
    ]);
    const series = buckets.map((b) => ({
      at: b.at.toISOString(),
      bytesIn: Number(b.bytes_in),
      bytesOut: Number(b.bytes_out),
      transfers: Number(b.transfers),
    }));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bucket,
      buckets: series,
      topUsers: topUsers.map((u) => ({ username: u.username, bytes: Number(u.bytes) })),
      failedLoginsByIp: failedByIp.map((f) => ({ clientIp: f.client_ip, count: Number(f.count) })),
      totals: {
        transfers: series.reduce((n, b) => n + b.transfers, 0),
        bytesIn: series.reduce((n, b) => n + b.bytesIn, 0),
        bytesOut: series.reduce((n, b) => n + b.bytesOut, 0),
        failedLogins: Number(failedTotal[0]?.count ?? 0),
        activeSessions: Number(live[0]?.count ?? 0),
        ftpUsers: Number(users[0]?.count ?? 0),
      },
    };
  }

  private statsRange(query: Record<string, unknown>): {
    from: Date;
    to: Date;
    bucket: 'hour' | 'day';
  } {
    const errors: { field: string; message: string }[] = [];
    for (const key of Object.keys(query)) {
      if (!['from', 'to', 'bucket'].includes(key)) {
        errors.push({ field: key, message: `${key} is not a known parameter` });
      }
    }
    const date = (field: 'from' | 'to', fallback: Date): Date => {
      const raw = query[field];
      if (raw === undefined || raw === '') return fallback;
      const value = typeof raw === 'string' ? new Date(raw) : undefined;
      if (!value || !/^\d{4}-\d{2}-\d{2}/.test(raw as string) || Number.isNaN(value.getTime())) {
        errors.push({ field, message: `${field} must be an ISO 8601 date` });
        return fallback;
      }
      return value;
    };
    const to = date('to', new Date());
    const from = date('from', new Date(to.getTime() - 24 * 3600 * 1000));
    const bucket = query.bucket ?? 'hour';
    if (bucket !== 'hour' && bucket !== 'day') {
      errors.push({ field: 'bucket', message: 'bucket must be hour or day' });
    }
    if (from.getTime() >= to.getTime()) {
      errors.push({ field: 'from', message: 'from must be before to' });
    }
    const size = bucket === 'day' ? 86_400_000 : 3_600_000;
    if ((to.getTime() - from.getTime()) / size > MAX_BUCKETS) {
      errors.push({
        field: 'bucket',
        message: `the range must hold at most ${MAX_BUCKETS} buckets`,
      });
    }
    if (errors.length) throw validationFailed(errors);
    return { from, to, bucket: bucket as 'hour' | 'day' };
  }
}
