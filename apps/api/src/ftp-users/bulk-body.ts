import type { Request } from 'express';

import { validationFailed } from '../common/errors';

export const MAX_CSV_BYTES = 10 * 1024 * 1024;
/**
 * JSON bulk bodies get the same room as CSV (the app's JSON parser allows
 * this route, and only this one, past the small default; see app.factory).
 */
export const MAX_BULK_JSON_BYTES = MAX_CSV_BYTES;
/** The bulk route, as mounted under the global prefix. */
export const BULK_ROUTE = 'ftp-users/bulk';

/**
 * The bulk body as CSV text or parsed JSON. JSON is parsed by the app's body
 * parser (up to MAX_BULK_JSON_BYTES on this route); text/csv is not, so it is
 * read here, bounded in size.
 */
export async function readBulkBody(req: Request): Promise<{ csv: string } | { json: unknown }> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/csv') {
    if (type !== 'application/json') {
      throw validationFailed([
        { field: 'content-type', message: 'must be application/json or text/csv' },
      ]);
    }
    return { json: req.body as unknown };
  }
  const body: unknown = req.body;
  if (typeof body === 'string') return { csv: body };
  if (Buffer.isBuffer(body)) return { csv: body.toString('utf8') };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CSV_BYTES) {
      throw validationFailed([{ field: 'csv', message: `must be at most ${MAX_CSV_BYTES} bytes` }]);
    }
    chunks.push(chunk);
  }
  return { csv: Buffer.concat(chunks).toString('utf8') };
}

/** `?dryRun=true|false` (absent: false); anything else is a 400 naming the parameter. */
export function parseDryRun(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw validationFailed([{ field: 'dryRun', message: 'dryRun must be true or false' }]);
}
