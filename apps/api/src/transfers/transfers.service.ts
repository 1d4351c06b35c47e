import { once } from 'node:events';
import type { Writable } from 'node:stream';

import { Injectable } from '@nestjs/common';
import type { TransferLog } from '@wharf/contracts';
import { DataSource } from 'typeorm';

import { notFound } from '../common/errors';
import { type ListFilterValue, Paginated, parseListQuery } from '../common/list-query';
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
 * millions of rows for a page header is not worth a sequential scan. 1,000 is
 * 20 pages of the admin UI; the capped count reads at most 1,001 matches.
 */
export const EXACT_COUNT_LIMIT = 1000;
/** Above this many expected matches the exact count is not attempted (see count()). */
export const COUNT_ESTIMATE_TRUSTED = 10 * EXACT_COUNT_LIMIT;
/**
 * A clientIp network with more rows than this (in the requested time range) is
 * paged by walking the log in time order; with fewer, its rows are fetched
 * through the client_ip index and sorted (see list()). Fetching costs about a
 * heap page per row of the network; the walk reads 25 x (rows in the log /
 * rows of the network) rows, about 30 to a page, as rows arrive in time order.
 * They cost the same near 1,000 rows at 1 M and 3,000 at 10 M.
 */
export const NETWORK_WALK_ROWS = 2000;
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
    const page = (where: SqlFilter) => {
      const pageFilter = cursor ? cursorClause(cursor, order, where) : where;
      const params = [...pageFilter.params, take, cursor ? 0 : skip];
      return this.dataSource.query(
        `SELECT ${SELECT_COLUMNS} FROM "transfer_logs" l
          WHERE ${pageFilter.where}
          ORDER BY l."occurred_at" ${order}, l."id" ${order}
          LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      ) as Promise<TransferLogRow[]>;
    };
    let rows: TransferLogRow[];
    let counted: { total: number; exact: boolean };
    if (filter.network) {
      // How many rows the network holds picks the page plan (buildFilter): up to
      // NETWORK_WALK_ROWS they are fetched through the client_ip index and sorted;
      // more are found by walking the log in time order, which the planner,
      // blind to the network's size, would not choose.
      const walk = this.networkHolds(filters, NETWORK_WALK_ROWS + 1).then((n) =>
        page(n > NETWORK_WALK_ROWS ? buildFilter(filters, { networkInTimeOrder: true }) : filter),
      );
      [rows, counted] = await Promise.all([walk, this.count(filter)]);
    } else {
      // Page and count on two pooled connections at once: the latency is the slower of the two.
      [rows, counted] = await Promise.all([page(filter), this.count(filter)]);
    }
    const { total, exact } = counted;
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
      const exact = await this.cappedCount(filter, EXACT_COUNT_LIMIT + 1);
      if (exact <= EXACT_COUNT_LIMIT) return { total: exact, exact: true };
    }
    return { total: Math.max(estimate, EXACT_COUNT_LIMIT + 1), exact: false };
  }

  /** Matching rows, counted up to `cap`. */
  private async cappedCount(filter: SqlFilter, cap: number): Promise<number> {
    const capped = (await this.dataSource.query(
      `SELECT count(*) AS count FROM (
         SELECT 1 FROM "transfer_logs" l WHERE ${filter.where} LIMIT ${cap}) c`,
      filter.params,
    )) as { count: string }[];
    return Number(capped[0]?.count ?? 0);
  }

  /**
   * Rows of the clientIp network within the from/to range, counted up to `cap`:
   * an index-only scan of (client_ip, occurred_at), whatever the other filters.
   */
  private networkHolds(filters: Record<string, ListFilterValue>, cap: number): Promise<number> {
    const { clientIp, from, to } = filters;
    const network = Object.fromEntries(
      Object.entries({ clientIp, from, to }).filter(([, v]) => v !== undefined),
    ) as Record<string, ListFilterValue>;
    return this.cappedCount(buildFilter(network), cap);
  }
}
