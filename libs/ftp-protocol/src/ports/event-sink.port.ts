import type { VirtualPath } from './file-system.port';

export type FtpEventType =
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

export type FtpEventOutcome = 'ok' | 'failed' | 'aborted';

/** One audited operation. Optional fields are null when they do not apply. */
export interface FtpEvent {
  type: FtpEventType;
  time: Date;
  sessionId: string;
  userId: string | null;
  username: string | null;
  client: { address: string; port: number };
  /** Negotiated TLS version of the control connection (e.g. "TLSv1.3"), null when plain. */
  tlsVersion: string | null;
  /** The FTP command verb that caused it (STOR, APPE, RNTO, PASS...). */
  command: string;
  path: VirtualPath | null;
  targetPath: VirtualPath | null;
  bytes: number;
  durationMs: number;
  outcome: FtpEventOutcome;
  reason: string | null;
  /** Hex SHA-256 of the bytes received (uploads only; of the whole file when written from offset 0). */
  sha256: string | null;
}

/**
 * Receives every audited event. The engine awaits the returned promise before
 * sending the reply that depends on the event (spool-before-reply); a rejected
 * promise is logged and does not change the reply.
 */
export interface EventSink {
  emit(event: FtpEvent): void | Promise<void>;
}
