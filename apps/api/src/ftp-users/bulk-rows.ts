import { CsvError, parse } from 'csv-parse/sync';

import type { FieldError } from '../common/errors';

/** One input row with the line it came from (CSV: file line; JSON: 1-based index in `users`). */
export interface BulkRow {
  line: number;
  data: unknown;
}

export interface BulkRows {
  rows: BulkRow[];
  errors: FieldError[];
}

type CellKind = 'string' | 'int' | 'bool' | 'list';

/** The CSV columns and how a cell is read. Lists are `;`-separated. */
export const CSV_COLUMNS: Record<string, CellKind> = {
  username: 'string',
  password: 'string',
  enabled: 'bool',
  expiresAt: 'string',
  homeDir: 'string',
  quotaBytes: 'int',
  quotaFiles: 'int',
  uploadQuotaBytes: 'int',
  downloadQuotaBytes: 'int',
  quotaPeriod: 'string',
  uploadBandwidth: 'int',
  downloadBandwidth: 'int',
  maxSessions: 'int',
  allowedIps: 'list',
  requireTls: 'bool',
  groups: 'list',
};

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/**
 * A cell as the JSON value the DTO expects. An empty cell is "not given". A
 * cell that does not convert stays a string, so the DTO validation reports
 * it with the same message JSON input would get.
 */
function cell(kind: CellKind, raw: string): unknown {
  if (raw === '') return undefined;
  switch (kind) {
    case 'string':
      return raw;
    case 'int':
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    case 'bool': {
      const v = raw.toLowerCase();
      return TRUE.has(v) ? true : FALSE.has(v) ? false : raw;
    }
    case 'list':
      return raw
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s !== '');
  }
}

/** Header row + one user per row; the header names columns of CSV_COLUMNS in any order. */
export function rowsFromCsv(text: string): BulkRows {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : 1;
      return { rows: [], errors: [{ line, field: 'csv', message: error.message }] };
    }
    throw error;
  }
  const [header, ...body] = records;
  if (!header) {
    return { rows: [], errors: [{ line: 1, field: 'csv', message: 'the CSV is empty' }] };
  }
  const errors: FieldError[] = [];
  const headerLine = header.info.lines;
  header.record.forEach((name) => {
    if (!(name in CSV_COLUMNS)) {
      errors.push({
        line: headerLine,
        field: name || '(empty)',
        message: `unknown column; known columns: ${Object.keys(CSV_COLUMNS).join(', ')}`,
      });
    }
  });
  const seen = new Set<string>();
  for (const name of header.record) {
    if (seen.has(name))
      errors.push({ line: headerLine, field: name, message: 'column appears twice' });
    seen.add(name);
  }
  for (const required of ['username', 'password']) {
    if (!seen.has(required)) {
      errors.push({ line: headerLine, field: required, message: `column ${required} is required` });
    }
  }
  if (errors.length) return { rows: [], errors };

  const rows = body.map(({ record, info }) => {
    const data: Record<string, unknown> = {};
    record.forEach((raw, i) => {
      const name = header.record[i]!;
      const value = cell(CSV_COLUMNS[name]!, raw);
      if (value !== undefined) data[name] = value;
    });
    // info.lines is where the record ends; quoted cells may span lines.
    const inner = record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
    return { line: info.lines - inner, data };
  });
  if (rows.length === 0) {
    errors.push({ line: headerLine, field: 'csv', message: 'no user rows after the header' });
  }
  return { rows, errors };
}

/** `{ "users": [ {...}, ... ] }`; line = 1-based position in `users`. */
export function rowsFromJson(body: unknown): BulkRows {
  const users = (body as { users?: unknown } | null)?.users;
  if (typeof body !== 'object' || body === null || !Array.isArray(users)) {
    return { rows: [], errors: [{ field: 'users', message: 'users must be an array of users' }] };
  }
  const extra = Object.keys(body).filter((k) => k !== 'users');
  const errors: FieldError[] = extra.map((k) => ({ field: k, message: `${k} should not exist` }));
  if (users.length === 0) errors.push({ field: 'users', message: 'users must not be empty' });
  return { rows: users.map((data, i) => ({ line: i + 1, data })), errors };
}
