import { once } from 'node:events';
import type { Writable } from 'node:stream';

import { Inject, Injectable } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import type { TransferLog, TransferStats } from '@wharf/contracts';
import { DataSource } from 'typeorm';

import { notFound, validationFailed } from '../common/errors';
import { Paginated, parseListQuery } from '../common/list-query';
import { WHARF_CONFIG } from '../config.token';
import { liveSessionsClause } from '../sessions/live-sessions';
import {
  buildFilter,
  CSV_COLUMNS,
  csvLine,
  cursorClause,
  decodeCursor,
  encodeCursor,
  SELECT_COLUMNS,
  type SqlFilter,
  toTransferLog,
  type TransferLogRow,
  TRANSFERS_LIST_SPEC,
} from './transfers-query';

/**
 * Above this many matching rows X-Total-Count is the planner's estimate (never
 * below EXACT_COUNT_LIMIT + 1) instead of an exact count: counting hundreds of
 * millions of rows for a page header is not worth a sequential scan.
 */
export const EXACT_COUNT_LIMIT = 10_000;
/** Above this many expected matches the exact count is not attempted (see count()). */
export const COUNT_ESTIMATE_TRUSTED = 10 * EXACT_COUNT_LIMIT;
const EXPORT_BATCH = 1000;
const MAX_BUCKETS = 2000;

export interface TransferPage {
  page: Paginated<TransferLog>;
  /** Pass back as `cursor` for the next page; undefined on the last page. */
  nextCursor: string | undefined;
  /** False when the total is an estimate. */
  exactTotal: boolean;
}

/** Reads transfer_logs for the audit trail API. Writing is TransferIngestService's job. */
@Injectable()
export class TransfersService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /**
   * Keyset pagination with `cursor` (stable under concurrent inserts, cost
   * independent of depth), or react-admin's `_start`/`_end` offsets.
   */
  async list(query: Record<string, unknown>): Promise<TransferPage> {
    const { skip, take, order, filters } = parseListQuery(query, TRANSFERS_LIST_SPEC);
    const filter = buildFilter(filters);
    const cursor = typeof filters.cursor === 'string' ? decodeCursor(filters.cursor) : undefined;
    const pageFilter = cursor ? cursorClause(cursor, order, filter) : filter;
    const params = [...pageFilter.params, take, cursor ? 0 : skip];
    // Page and count on two pooled connections at once: the latency is the slower of the two.
    const [rows, { total, exact }] = await Promise.all([
      this.dataSource.query(
        `SELECT ${SELECT_COLUMNS} FROM "transfer_logs" l
          WHERE ${pageFilter.where}
          ORDER BY l."occurred_at" ${order}, l."id" ${order}
          LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      ) as Promise<TransferLogRow[]>,
      this.count(filter),
    ]);
    const last = rows.at(-1);
    return {
      page: new Paginated(rows.map(toTransferLog), total),
      nextCursor: last && rows.length === take ? encodeCursor(last) : undefined,
      exactTotal: exact,
    };
  }

  async get(id: string): Promise<TransferLog> {
    const rows = (await this.dataSource.query(
      `SELECT ${SELECT_COLUMNS} FROM "transfer_logs" l WHERE l."id" = $1 LIMIT 1`,
      [id],
    )) as TransferLogRow[];
    if (!rows[0]) throw notFound('Transfer log entry');
    return toTransferLog(rows[0]);
  }

  /**
   * Writes the filtered log as CSV, in keyset batches so that neither the
   * result nor a long-lived transaction is held; waits for `drain` so a slow
   * client slows the export instead of filling memory. Validates the query
   * before the first byte, so a bad filter is still a 400.
   */
  prepareExport(query: Record<string, unknown>): (out: Writable) => Promise<void> {
    const { order, filters } = parseListQuery(query, TRANSFERS_LIST_SPEC);
    const filter = buildFilter(filters);
    let cursor = typeof filters.cursor === 'string' ? decodeCursor(filters.cursor) : undefined;
    return async (out) => {
      if (!out.write(csvLine(CSV_COLUMNS))) await once(out, 'drain');
      for (;;) {
        const pageFilter = cursor ? cursorClause(cursor, order, filter) : filter;
        const params = [...pageFilter.params, EXPORT_BATCH];
        const rows = (await this.dataSource.query(
          `SELECT ${SELECT_COLUMNS} FROM "transfer_logs" l
            WHERE ${pageFilter.where}
            ORDER BY l."occurred_at" ${order}, l."id" ${order}
            LIMIT $${params.length}`,
          params,
        )) as TransferLogRow[];
        if (rows.length === 0) return;
        const chunk = rows
          .map((row) => {
            const log = toTransferLog(row);
            return csvLine(CSV_COLUMNS.map((c) => log[c]));
          })
          .join('');
        if (out.destroyed) return;
        if (!out.write(chunk)) await once(out, 'drain');
        if (rows.length < EXPORT_BATCH) return;
        const last = rows.at(-1)!;
        cursor = decodeCursor(encodeCursor(last));
      }
    };
  }

  async stats(query: Record<string, unknown>): Promise<TransferStats> {
    const { from, to, bucket } = this.statsRange(query);
    const range = [from.toISOString(), to.toISOString()];
    const [buckets, topUsers, failedByIp, failedTotal, live, users] = await Promise.all([
      this.dataSource.query(
        `WITH series AS (
           SELECT generate_series(
             date_trunc('${bucket}', $1::timestamptz AT TIME ZONE 'UTC'),
             ($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC',
             interval '1 ${bucket}') AS at
         ), moved AS (
           SELECT date_trunc('${bucket}', l."occurred_at" AT TIME ZONE 'UTC') AS at,
                  coalesce(sum(l."bytes") FILTER (WHERE l."operation" = 'upload'), 0) AS bytes_in,
                  coalesce(sum(l."bytes") FILTER (WHERE l."operation" = 'download'), 0) AS bytes_out,
                  count(*) AS transfers
             FROM "transfer_logs" l
            WHERE l."operation" IN ('upload', 'download')
              AND l."occurred_at" >= $1 AND l."occurred_at" < $2
            GROUP BY 1)
         SELECT s.at AT TIME ZONE 'UTC' AS at, coalesce(m.bytes_in, 0) AS bytes_in, coalesce(m.bytes_out, 0) AS bytes_out,
                coalesce(m.transfers, 0) AS transfers
           FROM series s LEFT JOIN moved m ON m.at = s.at
          ORDER BY s.at`,
        range,
      ) as Promise<{ at: Date; bytes_in: string; bytes_out: string; transfers: string }[]>,
      this.dataSource.query(
        `SELECT l."username", sum(l."bytes") AS bytes
           FROM "transfer_logs" l
          WHERE l."operation" IN ('upload', 'download') AND l."username" IS NOT NULL
            AND l."occurred_at" >= $1 AND l."occurred_at" < $2
          GROUP BY l."username"
          ORDER BY bytes DESC, l."username"
          LIMIT 10`,
        range,
      ) as Promise<{ username: string; bytes: string }[]>,
      this.dataSource.query(
        `SELECT host(l."client_ip") AS client_ip, count(*) AS count
           FROM "transfer_logs" l
          WHERE l."operation" = 'login-failed' AND l."client_ip" IS NOT NULL
            AND l."occurred_at" >= $1 AND l."occurred_at" < $2
          GROUP BY l."client_ip"
          ORDER BY count DESC, l."client_ip"
          LIMIT 10`,
        range,
      ) as Promise<{ client_ip: string; count: string }[]>,
      this.dataSource.query(
        `SELECT count(*) AS count FROM "transfer_logs" l
          WHERE l."operation" = 'login-failed'
            AND l."occurred_at" >= $1 AND l."occurred_at" < $2`,
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

  /**
   * Exact count when at most EXACT_COUNT_LIMIT rows match, else the planner's
   * estimate. The capped count reads until EXACT_COUNT_LIMIT + 1 matches, which
   * for a common but unindexed condition (outcome=aborted: 1 % of rows) means
   * scanning a million rows; so when the planner expects more than
   * COUNT_ESTIMATE_TRUSTED matches, ten times the limit, its estimate is
   * answered without counting.
   */
  private async count(filter: SqlFilter): Promise<{ total: number; exact: boolean }> {
    const plan = (await this.dataSource.query(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM "transfer_logs" l WHERE ${filter.where}`,
      filter.params,
    )) as { 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[];
    const estimate = Math.round(plan[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0);
    if (estimate <= COUNT_ESTIMATE_TRUSTED) {
      const capped = (await this.dataSource.query(
        `SELECT count(*) AS count FROM (
           SELECT 1 FROM "transfer_logs" l WHERE ${filter.where} LIMIT ${EXACT_COUNT_LIMIT + 1}) c`,
        filter.params,
      )) as { count: string }[];
      const exact = Number(capped[0]?.count ?? 0);
      if (exact <= EXACT_COUNT_LIMIT) return { total: exact, exact: true };
    }
    return { total: Math.max(estimate, EXACT_COUNT_LIMIT + 1), exact: false };
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
