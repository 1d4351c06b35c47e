import { TRANSFER_OPERATIONS, TRANSFER_OUTCOMES, type TransferLog } from '@wharf/contracts';

import { validationFailed } from '../common/errors';
import type { ListFilterValue, ListQuerySpec } from '../common/list-query';

export const TRANSFERS_LIST_SPEC: ListQuerySpec = {
  sortable: ['occurredAt'],
  defaultSort: 'occurredAt',
  defaultOrder: 'DESC',
  filters: {
    username: 'string',
    userId: 'uuid',
    clientIp: 'ip',
    operation: 'string[]',
    outcome: 'string[]',
    pathPrefix: 'string',
    serverId: 'uuid',
    workerId: 'string',
    sessionId: 'string',
    from: 'date',
    to: 'date',
    cursor: 'string',
  },
};

/** Columns of a transfer_logs row as the API names them, plus the keyset key. */
export const SELECT_COLUMNS = `
  l."id", l."occurred_at", l."worker_id", l."server_id", l."session_id", l."user_id",
  l."username", host(l."client_ip") AS "client_ip", l."client_port", l."tls_version",
  l."operation", l."command", l."path", l."target_path", l."bytes", l."duration_ms",
  l."outcome", l."reason", l."sha256",
  to_char(l."occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "key_at"`;

export interface TransferLogRow {
  id: string;
  occurred_at: Date;
  worker_id: string | null;
  server_id: string | null;
  session_id: string | null;
  user_id: string | null;
  username: string | null;
  client_ip: string | null;
  client_port: number | null;
  tls_version: string | null;
  operation: string;
  command: string | null;
  path: string | null;
  target_path: string | null;
  bytes: string | number;
  duration_ms: number | null;
  outcome: string;
  reason: string | null;
  sha256: string | null;
  /** occurred_at with microseconds, for the keyset cursor (a JS Date keeps milliseconds only). */
  key_at: string;
}

export function toTransferLog(row: TransferLogRow): TransferLog {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    workerId: row.worker_id,
    serverId: row.server_id,
    sessionId: row.session_id,
    userId: row.user_id,
    username: row.username,
    clientIp: row.client_ip,
    clientPort: row.client_port,
    tlsVersion: row.tls_version,
    operation: row.operation as TransferLog['operation'],
    command: row.command,
    path: row.path,
    targetPath: row.target_path,
    bytes: Number(row.bytes),
    durationMs: row.duration_ms,
    outcome: row.outcome as TransferLog['outcome'],
    reason: row.reason,
    sha256: row.sha256,
  };
}

/** Position after the last row of a page: `occurredAt|id`, base64url. */
export interface Cursor {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(row: TransferLogRow): string {
  return Buffer.from(`${row.key_at}|${row.id}`).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  const [at, id, extra] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (
    extra !== undefined ||
    !at ||
    !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(at) ||
    Number.isNaN(new Date(at).getTime()) ||
    !id ||
    !UUID.test(id)
  ) {
    throw validationFailed([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  }
  return { at, id };
}

/** A WHERE clause with its positional parameters. */
export interface SqlFilter {
  where: string;
  params: unknown[];
  /** clientIp was a network (CIDR), whose page plan depends on how many rows it holds. */
  network?: boolean;
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * The list filters as SQL over transfer_logs `l`. Each one maps onto an
 * indexed column where the index exists: time (occurred_at), user_id,
 * client_ip (exact, or CIDR with `<<=`, which PostgreSQL turns into a range
 * scan of the btree), operation/outcome. username, server, worker, session
 * and path narrow the rows those indexes or the time range produce.
 *
 * `networkInTimeOrder` writes a CIDR as `network_subeq(client_ip, cidr)`, the
 * function behind `<<=`, for a network known to hold many rows. PostgreSQL has
 * no usable selectivity for `<<=` (it expects a handful of rows in a /24 that
 * holds 75,000 of 10 M), so it fetches every match through the client_ip index
 * and sorts them; the function call gets the default selectivity of a third
 * instead, and the plan walks an occurred_at-ordered index, newest first,
 * until the page is full, as for any common value. Same rows either way.
 */
export function buildFilter(
  filters: Record<string, ListFilterValue>,
  { networkInTimeOrder = false } = {},
): SqlFilter {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const list = (field: string, allowed: readonly string[]): string[] | undefined => {
    const values = filters[field];
    if (!Array.isArray(values)) return undefined;
    const bad = values.filter((v) => !allowed.includes(v));
    if (bad.length) {
      throw validationFailed([{ field, message: `${field} must be among ${allowed.join(', ')}` }]);
    }
    return values;
  };

  if (typeof filters.username === 'string') {
    clauses.push(`lower(l."username") = lower(${p(filters.username)})`);
  }
  if (typeof filters.userId === 'string') clauses.push(`l."user_id" = ${p(filters.userId)}`);
  const network = typeof filters.clientIp === 'string' && filters.clientIp.includes('/');
  if (typeof filters.clientIp === 'string') {
    const ip = p(filters.clientIp);
    if (!network) clauses.push(`l."client_ip" = ${ip}::inet`);
    else if (networkInTimeOrder) clauses.push(`network_subeq(l."client_ip", ${ip}::inet)`);
    else clauses.push(`l."client_ip" <<= ${ip}::inet`);
  }
  const operations = list('operation', TRANSFER_OPERATIONS);
  if (operations) clauses.push(`l."operation" = ANY(${p(operations)}::text[])`);
  const outcomes = list('outcome', TRANSFER_OUTCOMES);
  if (outcomes) clauses.push(`l."outcome" = ANY(${p(outcomes)}::text[])`);
  if (typeof filters.pathPrefix === 'string') {
    const prefix = p(likePrefix(filters.pathPrefix));
    clauses.push(`(l."path" LIKE ${prefix} OR l."target_path" LIKE ${prefix})`);
  }
  if (typeof filters.serverId === 'string') clauses.push(`l."server_id" = ${p(filters.serverId)}`);
  if (typeof filters.workerId === 'string') clauses.push(`l."worker_id" = ${p(filters.workerId)}`);
  if (typeof filters.sessionId === 'string') {
    clauses.push(`l."session_id" = ${p(filters.sessionId)}`);
  }
  if (filters.from instanceof Date) clauses.push(`l."occurred_at" >= ${p(filters.from)}`);
  if (filters.to instanceof Date) clauses.push(`l."occurred_at" < ${p(filters.to)}`);
  return { where: clauses.length ? clauses.join(' AND ') : 'TRUE', params, network };
}

/** `(occurred_at, id)` strictly after the cursor in the given order. */
export function cursorClause(cursor: Cursor, order: 'ASC' | 'DESC', filter: SqlFilter): SqlFilter {
  const params = [...filter.params, cursor.at, cursor.id];
  const op = order === 'DESC' ? '<' : '>';
  const at = `$${params.length - 1}::timestamptz`;
  const id = `$${params.length}::uuid`;
  // The redundant bound on occurred_at alone lets the planner prune partitions and range-scan the index.
  return {
    where: `${filter.where} AND l."occurred_at" ${op}= ${at} AND (l."occurred_at", l."id") ${op} (${at}, ${id})`,
    params,
    network: filter.network,
  };
}

/** Spreadsheet formula injection (OWASP "CSV injection"): such cells get a leading `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS: (keyof TransferLog)[] = [
  'id',
  'occurredAt',
  'operation',
  'outcome',
  'username',
  'userId',
  'clientIp',
  'clientPort',
  'command',
  'path',
  'targetPath',
  'bytes',
  'durationMs',
  'reason',
  'sha256',
  'tlsVersion',
  'sessionId',
  'serverId',
  'workerId',
];

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
