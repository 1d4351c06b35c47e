import type { FileSystem, SessionPolicy } from '@wharf/ftp-protocol';

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
  /** How often the spool root is scanned for spools of workers that are gone. */
  orphanSpoolScanMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  drainGraceMs: 30_000,
  loginDatabaseTimeoutMs: 5_000,
  sessionReportMs: 1_000,
  orphanSpoolScanMs: 60_000,
};

/**
 * QUOTA SEAM. The quota module (apps/ftp-worker/src/quota) provides this token
 * (`{ provide: SESSION_QUOTA, useExisting: QuotaService }`): its
 * `openSession` matches SessionQuotaProvider. Without a provider, sessions
 * have no quota hooks (and the engine skips the reservation hop entirely).
 */
export const SESSION_QUOTA = Symbol('SESSION_QUOTA');

export interface SessionQuotaHandle {
  /** Wraps the session's FileSystem (usage on delete/rename, AVBL, upload commit). */
  wrapFileSystem(inner: FileSystem): FileSystem;
  /**
   * reserve/release for the engine's SessionPolicy while bytes arrive; null
   * when no byte limit applies to the session's uploads (no reservation stage).
   */
  policyHooks(): Required<Pick<SessionPolicy, 'reserve' | 'release'>> | null;
  /** The session ended: drop what it still holds. */
  close(): Promise<void>;
}

export interface SessionQuotaProvider {
  openSession(args: { userId: string; sessionId: string }): Promise<SessionQuotaHandle>;
}
