export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

/** WorkerOptions: tunables that are not environment variables (tests shorten them). */
export const WORKER_OPTIONS = Symbol('WORKER_OPTIONS');

export interface WorkerOptions {
  /** SIGTERM: how long running transfers may finish before every session gets 421. */
  drainGraceMs: number;
  /** A login whose database work takes longer than this is answered 421. */
  loginDatabaseTimeoutMs: number;
  /** How often live sessions are reported to `ftp_sessions`. */
  sessionReportMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  drainGraceMs: 30_000,
  loginDatabaseTimeoutMs: 5_000,
  sessionReportMs: 1_000,
};
