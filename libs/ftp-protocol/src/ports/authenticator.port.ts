import type { FileSystem, VirtualPath } from './file-system.port';

/** What the engine knows about the client when it asks for a login. */
export interface LoginRequest {
  sessionId: string;
  username: string;
  password: string;
  client: { address: string; port: number };
  /** TLS state of the control connection at PASS time. */
  tls: { secure: boolean; version: string | null };
  /** HOST (RFC 7151) sent before USER, if any. */
  host: string | null;
}

/** Operations the policy is asked about; they mirror the permission names of the data model. */
export type FtpOperation =
  | 'list'
  | 'download'
  | 'upload'
  | 'overwrite'
  | 'append'
  | 'delete'
  | 'rename'
  | 'mkdir'
  | 'rmdir'
  | 'mfmt'
  | 'chmod';

/** `true` to allow, or the human-readable refusal reason (sent with a 550). */
export type AuthorizationResult = true | string;

/**
 * Per-session policy hooks. Every member is optional: a principal without a
 * policy may do anything its FileSystem allows.
 */
export interface SessionPolicy {
  authorize?(
    operation: FtpOperation,
    path: VirtualPath,
  ): AuthorizationResult | Promise<AuthorizationResult>;
  /**
   * Called while an upload receives bytes, before they are written, in chunks
   * (the engine asks for at least `bytes`, usually more). Return false when the
   * quota would be exceeded: the upload is aborted with 552 and removed.
   */
  reserve?(bytes: number, path: VirtualPath): Promise<boolean>;
  /**
   * Gives back reserved bytes that were not used (upload finished smaller than
   * its reservations, or was aborted: then everything reserved is released).
   * Committed bytes are reported by the `upload` event, not here.
   */
  release?(bytes: number, path: VirtualPath): Promise<void> | void;
  /** Bytes per second; 0 or undefined = unlimited. */
  bandwidth?: { upload?: number; download?: number };
  /** Called once when the session ends (logout, kick, disconnect). */
  onLogout?(): void | Promise<void>;
}

export interface Principal {
  userId: string;
  username: string;
  fileSystem: FileSystem;
  policy?: SessionPolicy;
  /** This user must use TLS on control and data connections (RFC 4217). */
  requireTls?: boolean;
}

export type LoginRefusalReason =
  | 'bad-credentials'
  | 'disabled'
  | 'expired'
  | 'ip-not-allowed'
  | 'tls-required'
  | 'too-many-sessions'
  /** The backing store is down: answered with 421 and a disconnect, never a login. */
  | 'unavailable';

export interface LoginRefusal {
  reason: LoginRefusalReason;
  /** Text of the 530 (or 421) reply. Must not say whether the user exists. */
  message: string;
}

export type LoginResult = { ok: true; principal: Principal } | ({ ok: false } & LoginRefusal);

export interface Authenticator {
  authenticate(request: LoginRequest): Promise<LoginResult>;
}
