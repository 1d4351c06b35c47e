/**
 * The wire format of audit events, from the worker's spool through the
 * `transfer-events` queue to the api's processor. Plain JSON (no Date objects):
 * it is written to the spool and to the queue as is. The browser imports this
 * module too, so it stays free of Node-only imports.
 */
export type TransferOperation =
  | 'login'
  | 'login-failed'
  | 'logout'
  | 'upload'
  | 'download'
  | 'delete'
  | 'rename'
  | 'mkdir'
  | 'rmdir'
  | 'mfmt'
  | 'chmod';

export const TRANSFER_OPERATIONS: readonly TransferOperation[] = [
  'login',
  'login-failed',
  'logout',
  'upload',
  'download',
  'delete',
  'rename',
  'mkdir',
  'rmdir',
  'mfmt',
  'chmod',
];

export type TransferOutcome = 'ok' | 'failed' | 'aborted';

export const TRANSFER_OUTCOMES: readonly TransferOutcome[] = ['ok', 'failed', 'aborted'];

export interface TransferEventRecord {
  /** UUIDv7 made by the worker (uuidv7()); with occurredAt, the idempotency key. */
  id: string;
  /** ISO 8601 time of the event. */
  occurredAt: string;
  workerId: string;
  serverId: string;
  sessionId: string;
  userId: string | null;
  username: string | null;
  clientIp: string;
  clientPort: number;
  /** e.g. "TLSv1.3"; null on a plain connection. */
  tlsVersion: string | null;
  operation: TransferOperation;
  /** The FTP verb that caused it (STOR, RETR, PASS, RNTO...). */
  command: string;
  path: string | null;
  targetPath: string | null;
  bytes: number;
  durationMs: number;
  outcome: TransferOutcome;
  reason: string | null;
  /** Hex SHA-256 of uploaded content; null otherwise. */
  sha256: string | null;
}

/** Payload of QueueName.TransferEvents / TransferEventsJobName.Batch. */
export interface TransferEventsBatch {
  events: TransferEventRecord[];
}

/**
 * The job id of a batch: the first event's id and the batch size. The spool
 * is append-only and read in order, so these two fix the batch's content; a
 * re-send after a crash reuses the id and BullMQ drops the duplicate job. (The
 * first id alone is not enough: a batch re-read after a crash can be longer.)
 */
export function transferEventsJobId(batch: TransferEventsBatch): string {
  return `tev_${batch.events[0]?.id ?? 'empty'}_${batch.events.length}`;
}

/** One row of `GET /api/v1/transfers` (a stored TransferEventRecord). */
export interface TransferLog {
  id: string;
  occurredAt: string;
  workerId: string | null;
  serverId: string | null;
  sessionId: string | null;
  userId: string | null;
  username: string | null;
  clientIp: string | null;
  clientPort: number | null;
  tlsVersion: string | null;
  operation: TransferOperation;
  command: string | null;
  path: string | null;
  targetPath: string | null;
  bytes: number;
  durationMs: number | null;
  outcome: TransferOutcome;
  reason: string | null;
  sha256: string | null;
}

/** `GET /api/v1/transfers/stats`: the dashboard's numbers for a time range. */
export interface TransferStats {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  /** Every bucket of the range, empty ones included, oldest first. */
  buckets: { at: string; bytesIn: number; bytesOut: number; transfers: number }[];
  /** Most bytes moved (uploads + downloads), at most 10. */
  topUsers: { username: string; bytes: number }[];
  /** Most failed logins, at most 10. */
  failedLoginsByIp: { clientIp: string; count: number }[];
  totals: {
    transfers: number;
    bytesIn: number;
    bytesOut: number;
    failedLogins: number;
    /** Now, not in the range: live sessions of workers with a fresh heartbeat. */
    activeSessions: number;
    ftpUsers: number;
  };
}

/**
 * `POST /api/v1/transfers/export-tokens`: a link to `export.csv` with the
 * given filter that a browser can follow without the Authorization header.
 */
export interface DownloadLink {
  /** Path and query, including a token valid for this filter only, for a short time. */
  url: string;
  expiresAt: string;
}
