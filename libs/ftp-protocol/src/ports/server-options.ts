import type { Authenticator } from './authenticator.port';
import type { EventSink } from './event-sink.port';

/** Minimal logger port so the engine stays framework-free (a Nest Logger fits it). */
export interface FtpLogger {
  log(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
  debug?(message: string, context?: Record<string, unknown>): void;
}

export type TlsMode = 'none' | 'explicit' | 'implicit';

export interface TlsMaterial {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer;
}

export interface TlsOptions extends TlsMaterial {
  /** `explicit` = AUTH TLS on a plain listener; `implicit` = TLS from the first byte. */
  mode: Exclude<TlsMode, 'none'>;
  /**
   * Data connections must resume a TLS session issued on their own control
   * connection, not merely by this listener (vsftpd require_ssl_reuse). A data
   * connection that did not resume, or resumed another control connection's
   * session, gets 522.
   * Default false: Python ftplib and some Go clients cannot resume.
   */
  requireSessionReuse?: boolean;
}

export interface PassivePortRange {
  min: number;
  max: number;
}

export interface FtpServerOptions {
  authenticator: Authenticator;
  events?: EventSink;
  logger?: FtpLogger;
  /** Bind address, default 127.0.0.1 (the worker passes the configured one). */
  host?: string;
  /** 0 = any free port. */
  port?: number;
  tls?: TlsOptions;
  /** Server-wide: USER is refused before AUTH TLS (534) and transfers need PROT P (521). */
  requireTls?: boolean;
  /** Default: any free port chosen by the OS. */
  passivePorts?: PassivePortRange;
  /**
   * IPv4 address announced in 227 replies (NAT); a host name is not allowed
   * there (resolve it first). Default: the control connection's local address.
   */
  publicHost?: string;
  /** Added to the real passive port in 227/229 replies when the exposed range differs (NAT port mapping). */
  publicPortOffset?: number;
  /**
   * Accept data connections from another IP than the control connection's,
   * and PORT/EPRT to other IPs (FXP). Default false: refused.
   */
  allowForeignDataAddress?: boolean;
  banner?: string;
  /** Default 30 s. */
  loginTimeoutMs?: number;
  /** Default 300 s; never fires while a transfer moves data. */
  idleTimeoutMs?: number;
  /** Time to wait for the client to open (or accept) a data connection. Default 30 s. */
  dataTimeoutMs?: number;
  /** Delay before answering a failed PASS. Default 1000 ms. */
  failedLoginDelayMs?: number;
  /** After this many failed logins the session gets 421 and is closed. Default 3. */
  maxLoginFailures?: number;
  /**
   * Server-wide bandwidth in bytes per second, shared by all sessions of this
   * listener (the user's own limit comes from SessionPolicy.bandwidth). Default unlimited.
   */
  bandwidth?: { upload?: number; download?: number };
  /**
   * SHA-256 of every upload for its event (`FtpEvent.sha256`). Default true;
   * never computed without an event sink. It costs about 0.6 s of CPU per
   * GiB: uploads past 1 MiB are hashed in a worker thread (UploadHash), the
   * event loop only copies their bytes over.
   */
  uploadSha256?: boolean;
  /** Default unlimited (0). */
  maxSessions?: number;
  /** Default unlimited (0). */
  maxSessionsPerIp?: number;
}
