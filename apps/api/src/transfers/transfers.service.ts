import { once } from 'node:events';
import type { Writable } from 'node:stream';

import { Injectable } from '@nestjs/common';
import type { TransferLog } from '@wharf/contracts';
import { DataSource } from 'typeorm';

import { notFound } from '../common/errors';
import { Paginated, parseListQuery } from '../common/list-query';
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
  constructor(private readonly dataSource: DataSource) {}

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
}
