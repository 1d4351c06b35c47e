import { randomUUID } from 'node:crypto';
import type * as net from 'node:net';
import { isIPv4 } from 'node:net';
import type * as tls from 'node:tls';

import { LineCodec } from '../codec/line-codec';
import type { FtpCommand } from '../commands/command';
import {
  ActiveChannel,
  type DataChannel,
  normalizeAddress,
  PassiveChannel,
} from '../data/data-channel';
import type { PassivePortPool } from '../data/passive-port-pool';
import { errorToReply, FtpError, FtpErrorCode } from '../errors';
import { ALL_MLST_FACTS } from '../listing/list-format';
import { resolveVirtualPath } from '../paths';
import type { FtpOperation, Principal } from '../ports/authenticator.port';
import type { FtpEvent, FtpEventOutcome, FtpEventType } from '../ports/event-sink.port';
import type { FileSystem, HashAlgorithm, VirtualPath } from '../ports/file-system.port';
import type { FtpLogger, FtpServerOptions, TlsMode } from '../ports/server-options';
import { formatReply, Reply } from '../replies';
import type { TlsSessionBinding } from '../tls/session-binding';
import type { TlsManager } from '../tls/tls-manager';
import type { TokenBucket } from '../transfer/throttle';
import type { Expirable, SessionClock } from './session-clock';

/** Options with their defaults applied. */
export type ResolvedServerOptions = FtpServerOptions &
  Required<
    Pick<
      FtpServerOptions,
      | 'host'
      | 'loginTimeoutMs'
      | 'idleTimeoutMs'
      | 'dataTimeoutMs'
      | 'failedLoginDelayMs'
      | 'maxLoginFailures'
      | 'banner'
    >
  >;

/** What a session needs from its server; one instance per listener. */
export interface SessionHost {
  readonly options: ResolvedServerOptions;
  readonly commands: ReadonlyMap<string, FtpCommand>;
  readonly commandList: readonly FtpCommand[];
  readonly tls: TlsManager | null;
  readonly tlsMode: TlsMode;
  readonly portPool: PassivePortPool;
  /** Server-wide bandwidth buckets shared by all sessions of the listener. */
  readonly bandwidth: { upload: TokenBucket | null; download: TokenBucket | null };
  readonly logger: FtpLogger;
  /** Login and idle timeouts of all sessions, on one timer. */
  readonly clock: SessionClock;
  readonly shuttingDown: boolean;
  /** The session stopped counting (kicked, quit, disconnected). */
  sessionClosed(session: FtpSession): void;
  /** The session's socket is gone and its logout was reported. */
  sessionEnded(session: FtpSession): void;
}

/** A transfer in progress (RETR, STOR, LIST...). */
export interface ActiveTransfer {
  command: string;
  path: VirtualPath | null;
  bytes: number;
  startedAt: number;
  aborted: boolean;
  /** The data socket while it is open, so ABOR can cut it. */
  data: net.Socket | null;
  /** Resolves once the transfer's final reply (226/426/...) was written. */
  done: Promise<void>;
}

export interface SessionSnapshot {
  id: string;
  userId: string | null;
  username: string | null;
  client: { address: string; port: number };
  tlsVersion: string | null;
  connectedAt: Date;
  loginAt: Date | null;
  currentCommand: string | null;
  transfer: { command: string; path: string | null; bytes: number } | null;
  bytesUploaded: number;
  bytesDownloaded: number;
}

/** Queued lines before the session stops reading from the socket (flood control). */
const MAX_QUEUED_LINES = 32;
/** Unsent reply bytes before the session stops reading (client that never reads). */
const MAX_UNSENT_REPLY_BYTES = 64 * 1024;

const IMMEDIATE_VERBS = new Set(['ABOR', 'STAT', 'QUIT', 'NOOP']);

/**
 * One control connection. Deliberately a plain object with few fields: an
 * idle logged-in session should cost only its socket and this object.
 */
export class FtpSession implements Expirable {
  readonly id = randomUUID();
  readonly connectedAt = new Date();
  readonly client: { address: string; port: number };
  socket: net.Socket;
  private readonly codec: LineCodec;
  private queue: string[] | null = null;
  private running = false;
  private paused = false;
  /** Protocol of the control connection's TLS, kept for events sent after it closed. */
  private negotiatedTls: string | null = null;
  closed = false;
  /** performance.now() of the last bytes read from the client (or of a state change). */
  private lastActivity = performance.now();

  // Login state
  pendingUser: string | null = null;
  principal: Principal | null = null;
  loginAt: Date | null = null;
  loginFailures = 0;
  host: string | null = null;
  clientName: string | null = null;

  // Protection state (RFC 2228/4217)
  pbsz = false;
  protPrivate: boolean;

  // Transfer parameters
  cwd: VirtualPath = '/';
  asciiType = false;
  restOffset = 0;
  renameFrom: VirtualPath | null = null;
  epsvAll = false;
  mlstFacts = ALL_MLST_FACTS;
  hashAlgorithm: HashAlgorithm = 'SHA-256';
  utf8 = true;
  dataChannel: DataChannel | null = null;
  transfer: ActiveTransfer | null = null;
  currentCommand: string | null = null;
  bytesUploaded = 0;
  bytesDownloaded = 0;
  private quitAfterTransfer = false;

  /**
   * @param tlsBinding set when the listener requires TLS session reuse: data
   *   connections must resume a session of this control connection.
   */
  constructor(
    readonly server: SessionHost,
    socket: net.Socket,
    readonly tlsBinding: TlsSessionBinding | null = null,
  ) {
    this.socket = socket;
    this.client = { address: normalizeAddress(socket.remoteAddress), port: socket.remotePort ?? 0 };
    this.protPrivate = server.tlsMode === 'implicit';
    this.codec = new LineCodec(
      (line) => this.onLine(line),
      () => this.onOverflow(),
    );
    this.attach(socket);
    this.captureTlsVersion(socket);
    server.clock.add(this);
  }

  // ---------------------------------------------------------------- plumbing

  get secure(): boolean {
    return (this.socket as Partial<tls.TLSSocket>).encrypted === true;
  }

  get tlsVersion(): string | null {
    if (!this.secure) return null;
    return this.negotiatedTls ?? (this.socket as tls.TLSSocket).getProtocol() ?? null;
  }

  /**
   * getProtocol() returns null once the socket has closed, and the logout
   * event is emitted by teardown after that: the version is read once, when
   * the handshake completes (implicit TLS and AUTH TLS alike).
   */
  private captureTlsVersion(socket: net.Socket): void {
    if ((socket as Partial<tls.TLSSocket>).encrypted !== true) return;
    const secure = socket as tls.TLSSocket;
    secure.once('secure', () => {
      this.negotiatedTls = secure.getProtocol() ?? null;
    });
  }

  get loggedIn(): boolean {
    return this.principal !== null;
  }

  get fs(): FileSystem {
    if (!this.principal)
      throw new FtpError(FtpErrorCode.NOT_LOGGED_IN, 'Please login with USER and PASS.');
    return this.principal.fileSystem;
  }

  get options(): ResolvedServerOptions {
    return this.server.options;
  }

  /** TLS must protect control and data (server setting or the user's). */
  get tlsRequired(): boolean {
    return this.server.options.requireTls === true || this.principal?.requireTls === true;
  }

  start(): void {
    this.reply(Reply.SERVICE_READY, this.server.options.banner);
  }

  private attach(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private detach(socket: net.Socket): void {
    socket.removeListener('data', this.onData);
    socket.removeListener('error', this.onError);
    socket.removeListener('close', this.onClose);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.lastActivity = performance.now();
    this.codec.push(chunk);
  };

  /** Login timeout until logged in, then the idle timeout (SessionClock asks). */
  expiresAt(): number {
    return (
      this.lastActivity +
      (this.principal ? this.options.idleTimeoutMs : this.options.loginTimeoutMs)
    );
  }

  expire(now: number): void {
    if (this.transfer) {
      // The control connection is quiet because the data connection is busy.
      this.lastActivity = now;
      return;
    }
    this.closeWith(Reply.SERVICE_UNAVAILABLE, 'Timeout: closing control connection.');
  }

  private readonly onError = (): void => {
    this.socket.destroy();
  };

  private readonly onClose = (): void => {
    void this.teardown();
  };

  private onOverflow(): void {
    this.closeWith(Reply.SYNTAX_ERROR, 'Command line too long.');
  }

  reply(code: number, text: string | readonly string[]): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(formatReply(code, text));
  }

  /** Sends a final reply and closes the control connection. */
  closeWith(code: number, text: string): void {
    if (this.closed) return;
    this.reply(code, text);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.clock.delete(this);
    this.codec.close();
    this.queue = null;
    this.abortTransfer();
    this.closeDataChannel();
    // Leaves the live list now: a kicked session must not be counted while its socket drains.
    this.server.sessionClosed(this);
    const socket = this.socket;
    socket.end();
    // A client that never reads must not keep the socket (and us) alive.
    setTimeout(() => socket.destroy(), 2000).unref();
  }

  private async teardown(): Promise<void> {
    this.closed = true;
    this.server.clock.delete(this);
    this.codec.close();
    this.queue = null;
    this.abortTransfer();
    this.closeDataChannel();
    const principal = this.principal;
    this.server.sessionClosed(this);
    if (principal) {
      await this.emit('logout', 'LOGOUT', { outcome: 'ok' });
      try {
        await principal.policy?.onLogout?.();
      } catch (error) {
        this.server.logger.warn('onLogout hook failed', {
          sessionId: this.id,
          error: String(error),
        });
      }
    }
    this.server.sessionEnded(this);
  }

  // --------------------------------------------------------- command loop

  private onLine(line: string): void {
    if (this.closed) return;
    if (this.transfer) {
      const verb = parseVerb(line);
      if (IMMEDIATE_VERBS.has(verb)) {
        void this.execute(line);
        return;
      }
    }
    (this.queue ??= []).push(line);
    if (this.queue.length >= MAX_QUEUED_LINES) this.pauseReading();
    if (!this.running) void this.pump();
  }

  private pauseReading(): void {
    if (!this.paused) {
      this.paused = true;
      this.socket.pause();
      // The chunk being framed may hold thousands more lines: keep them unframed.
      this.codec.pause();
    }
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (!this.closed && this.queue && this.queue.length > 0) {
        const line = this.queue.shift()!;
        await this.execute(line);
        if (this.socket.writableLength > MAX_UNSENT_REPLY_BYTES && !this.closed) {
          this.pauseReading();
          await new Promise<void>((resolve) => {
            this.socket.once('drain', resolve);
            this.socket.once('close', resolve);
          });
        }
      }
    } finally {
      this.running = false;
      // Release the (possibly empty) array: an idle session holds no queue.
      if (this.queue && this.queue.length === 0) this.queue = null;
      if (this.paused && !this.closed) {
        this.paused = false;
        this.socket.resume();
        // May queue lines and start the pump again (and pause again).
        this.codec.resume();
      }
    }
  }

  private async execute(line: string): Promise<void> {
    const { verb, arg } = parseCommand(line);
    if (verb === '') return;
    const command = this.server.commands.get(verb);
    if (!command) {
      this.reply(Reply.SYNTAX_ERROR, `${sanitize(verb)} not understood.`);
      return;
    }
    if (command.needsAuth && !this.principal) {
      this.reply(Reply.NOT_LOGGED_IN, 'Please login with USER and PASS.');
      return;
    }
    if (command.argument === 'required' && arg === '') {
      this.reply(Reply.SYNTAX_ERROR_ARGS, `${command.name} needs an argument.`);
      return;
    }
    // RNTO must directly follow RNFR (RFC 959 §4.1.3).
    if (command.name !== 'RNTO' && command.name !== 'RNFR') this.renameFrom = null;
    const previous = this.currentCommand;
    if (command.kind !== 'immediate') this.currentCommand = command.name;
    try {
      await command.handler(this, arg);
    } catch (error) {
      const { code, text } = errorToReply(error);
      if (!(error instanceof FtpError)) {
        this.server.logger.warn('command failed', {
          sessionId: this.id,
          command: command.name,
          error: String(error),
        });
      }
      this.reply(code, text);
    } finally {
      if (command.kind !== 'immediate') this.currentCommand = null;
      else this.currentCommand = previous;
    }
  }

  // ------------------------------------------------------------ helpers

  resolve(arg: string): VirtualPath {
    return resolveVirtualPath(this.cwd, arg === '' ? '.' : arg);
  }

  /** Asks the policy; throws a 550 with its reason when refused. */
  async authorize(operation: FtpOperation, path: VirtualPath): Promise<void> {
    const policy = this.principal?.policy;
    if (!policy?.authorize) return;
    const result = await policy.authorize(operation, path);
    if (result !== true)
      throw new FtpError(FtpErrorCode.PERMISSION_DENIED, result || 'Permission denied.');
  }

  async emit(
    type: FtpEventType,
    command: string,
    fields: {
      path?: VirtualPath | null;
      targetPath?: VirtualPath | null;
      bytes?: number;
      durationMs?: number;
      outcome: FtpEventOutcome;
      reason?: string | null;
      sha256?: string | null;
      username?: string | null;
    },
  ): Promise<void> {
    const sink = this.server.options.events;
    if (!sink) return;
    const event: FtpEvent = {
      type,
      time: new Date(),
      sessionId: this.id,
      userId: this.principal?.userId ?? null,
      username: this.principal?.username ?? fields.username ?? null,
      client: this.client,
      tlsVersion: this.tlsVersion,
      command,
      path: fields.path ?? null,
      targetPath: fields.targetPath ?? null,
      bytes: fields.bytes ?? 0,
      durationMs: fields.durationMs ?? 0,
      outcome: fields.outcome,
      reason: fields.reason ?? null,
      sha256: fields.sha256 ?? null,
    };
    try {
      await sink.emit(event);
    } catch (error) {
      this.server.logger.error('event sink failed', {
        sessionId: this.id,
        type,
        error: String(error),
      });
    }
  }

  /** After login: switch from the login timeout to the idle timeout. */
  loggedInAs(principal: Principal): void {
    this.principal = principal;
    this.loginAt = new Date();
    this.loginFailures = 0;
    this.lastActivity = performance.now();
  }

  /** REIN (RFC 959 §4.1.1): back to the state right after connection, TLS kept. */
  async reinitialize(): Promise<void> {
    const principal = this.principal;
    this.abortTransfer();
    this.closeDataChannel();
    if (principal) {
      await this.emit('logout', 'REIN', { outcome: 'ok' });
      await principal.policy?.onLogout?.();
    }
    this.principal = null;
    this.pendingUser = null;
    this.loginAt = null;
    this.cwd = '/';
    this.asciiType = false;
    this.restOffset = 0;
    this.renameFrom = null;
    this.epsvAll = false;
    this.mlstFacts = ALL_MLST_FACTS;
    this.lastActivity = performance.now();
  }

  // ------------------------------------------------------------ TLS upgrade

  /**
   * AUTH TLS (RFC 4217 §4): stop reading plaintext, drop whatever was
   * pipelined behind AUTH, answer 234 in plaintext, then hand the socket to TLS.
   */
  upgradeToTls(): void {
    const tlsManager = this.server.tls;
    if (!tlsManager) throw new FtpError(FtpErrorCode.NOT_SUPPORTED, 'TLS not configured.');
    const raw = this.socket;
    this.detach(raw);
    raw.pause();
    this.codec.reset();
    this.queue = null;
    this.reply(Reply.AUTH_OK, 'AUTH TLS successful.');
    const secure = tlsManager.wrap(raw, this.tlsBinding, 'control');
    this.socket = secure;
    this.attach(secure);
    this.captureTlsVersion(secure);
  }

  // ------------------------------------------------------------ data channels

  closeDataChannel(): void {
    if (this.dataChannel) {
      this.dataChannel.close();
      this.dataChannel = null;
    }
  }

  async openPassive(): Promise<PassiveChannel> {
    this.closeDataChannel();
    const expected = this.options.allowForeignDataAddress ? null : this.client.address;
    const bindHost = normalizeAddress(this.socket.localAddress) || this.options.host;
    const channel = await PassiveChannel.open(this.server.portPool, bindHost, expected);
    this.dataChannel = channel;
    return channel;
  }

  setActive(host: string, port: number): void {
    this.closeDataChannel();
    // A dual-stack listener reports "::ffff:a.b.c.d"; binding that to reach an IPv4 client fails.
    const local = isIPv4(host)
      ? normalizeAddress(this.socket.localAddress)
      : this.socket.localAddress;
    this.dataChannel = new ActiveChannel(host, port, local || undefined);
  }

  /** Refuses a transfer that would not be protected when protection is required (RFC 4217 §9). */
  checkDataProtection(): void {
    if (this.tlsRequired && !this.protPrivate) {
      throw new FtpError(
        FtpErrorCode.PROT_REQUIRED,
        'Data connections must be protected: use PROT P.',
      );
    }
  }

  /** Starts tracking a transfer; returns it with a function that marks it finished. */
  beginTransfer(
    command: string,
    path: VirtualPath | null,
  ): { transfer: ActiveTransfer; finish: () => void } {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const transfer: ActiveTransfer = {
      command,
      path,
      bytes: 0,
      startedAt: performance.now(),
      aborted: false,
      data: null,
      done,
    };
    this.transfer = transfer;
    return {
      transfer,
      finish: () => {
        if (this.transfer === transfer) this.transfer = null;
        finish();
        if (this.quitAfterTransfer) this.closeWith(Reply.CLOSING, 'Goodbye.');
      },
    };
  }

  /** ABOR / session end: cut the running transfer. */
  abortTransfer(): boolean {
    const transfer = this.transfer;
    if (!transfer) return false;
    transfer.aborted = true;
    transfer.data?.destroy();
    // A transfer still waiting for its data connection is woken up by this.
    this.closeDataChannel();
    return true;
  }

  quitWhenTransferEnds(): void {
    this.quitAfterTransfer = true;
  }

  snapshot(): SessionSnapshot {
    const t = this.transfer;
    return {
      id: this.id,
      userId: this.principal?.userId ?? null,
      username: this.principal?.username ?? null,
      client: { ...this.client },
      tlsVersion: this.tlsVersion,
      connectedAt: this.connectedAt,
      loginAt: this.loginAt,
      currentCommand: this.currentCommand,
      transfer: t ? { command: t.command, path: t.path, bytes: t.bytes } : null,
      bytesUploaded: this.bytesUploaded,
      bytesDownloaded: this.bytesDownloaded,
    };
  }
}

function parseVerb(line: string): string {
  const { verb } = parseCommand(line);
  return verb;
}

/**
 * Splits "VERB argument". Leading bytes that cannot start a verb are skipped:
 * lftp's ABOR arrives behind Telnet IP/DM whose IAC may have been taken out
 * of band, leaving a stray DM byte.
 */
export function parseCommand(line: string): { verb: string; arg: string } {
  let start = 0;
  while (start < line.length) {
    const c = line.charCodeAt(start);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) break;
    start++;
  }
  const space = line.indexOf(' ', start);
  if (space < 0) return { verb: line.slice(start).toUpperCase(), arg: '' };
  return { verb: line.slice(start, space).toUpperCase(), arg: line.slice(space + 1) };
}

function sanitize(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 32);
}
