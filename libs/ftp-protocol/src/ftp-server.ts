import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { buildCommandMap, COMMANDS } from './commands';
import type { FtpCommand } from './commands/command';
import { normalizeAddress } from './data/data-channel';
import { PassivePortPool } from './data/passive-port-pool';
import type { FtpLogger, FtpServerOptions, TlsMaterial, TlsMode } from './ports/server-options';
import { formatReply, Reply } from './replies';
import {
  FtpSession,
  type ResolvedServerOptions,
  type SessionHost,
  type SessionSnapshot,
} from './session/ftp-session';
import { SessionClock } from './session/session-clock';
import { TlsSessionBinding } from './tls/session-binding';
import { TlsManager } from './tls/tls-manager';
import { TokenBucket } from './transfer/throttle';

const silentLogger: FtpLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * One FTP/FTPS listener. The worker creates one per configured server:
 *
 *   const server = new FtpServer(options);
 *   const { port } = await server.listen();
 *   server.sessions(); server.kick(id); server.kickUser(userId);
 *   server.updateTls({ key, cert });
 *   await server.close({ graceMs: 10_000 });
 */
export class FtpServer implements SessionHost {
  readonly options: ResolvedServerOptions;
  readonly commands: ReadonlyMap<string, FtpCommand>;
  readonly commandList: readonly FtpCommand[] = COMMANDS;
  readonly tls: TlsManager | null;
  readonly tlsMode: TlsMode;
  readonly portPool: PassivePortPool;
  readonly bandwidth: { upload: TokenBucket | null; download: TokenBucket | null };
  readonly logger: FtpLogger;
  readonly clock: SessionClock;
  private shutdown = false;
  private readonly listener: net.Server;
  private readonly live = new Map<string, FtpSession>();
  private readonly perIp = new Map<string, number>();
  /** Sessions whose socket is still open (a kicked session leaves `live` first). */
  private readonly connected = new Set<FtpSession>();
  private readonly closedWaiters = new Set<() => void>();

  constructor(options: FtpServerOptions) {
    this.options = {
      ...options,
      host: options.host ?? '127.0.0.1',
      loginTimeoutMs: options.loginTimeoutMs ?? 30_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
      dataTimeoutMs: options.dataTimeoutMs ?? 30_000,
      failedLoginDelayMs: options.failedLoginDelayMs ?? 1000,
      maxLoginFailures: options.maxLoginFailures ?? 3,
      banner: options.banner ?? 'Wharf FTP server ready.',
    };
    this.logger = options.logger ?? silentLogger;
    this.clock = new SessionClock(
      Math.min(this.options.loginTimeoutMs, this.options.idleTimeoutMs),
    );
    this.commands = buildCommandMap(this.commandList);
    this.tls = options.tls ? new TlsManager(options.tls) : null;
    this.tlsMode = options.tls?.mode ?? 'none';
    this.portPool = new PassivePortPool(options.passivePorts);
    this.bandwidth = {
      upload: options.bandwidth?.upload ? new TokenBucket(options.bandwidth.upload) : null,
      download: options.bandwidth?.download ? new TokenBucket(options.bandwidth.download) : null,
    };
    this.listener = net.createServer({ noDelay: true }, (socket) => this.onConnection(socket));
    this.listener.on('error', (error) =>
      this.logger.error('listener error', { error: String(error) }),
    );
  }

  get shuttingDown(): boolean {
    return this.shutdown;
  }

  async listen(): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen({ host: this.options.host, port: this.options.port ?? 0 }, () => {
        this.listener.removeListener('error', reject);
        resolve();
      });
    });
    const address = this.listener.address() as net.AddressInfo;
    this.logger.log('FTP listener started', {
      host: address.address,
      port: address.port,
      tls: this.tlsMode,
    });
    return { host: address.address, port: address.port };
  }

  /** Live sessions, for the worker's session report. */
  sessions(): SessionSnapshot[] {
    return [...this.live.values()].map((s) => s.snapshot());
  }

  get sessionCount(): number {
    return this.live.size;
  }

  kick(sessionId: string, message = 'Session closed by administrator.'): boolean {
    const session = this.live.get(sessionId);
    if (!session) return false;
    session.closeWith(Reply.SERVICE_UNAVAILABLE, message);
    return true;
  }

  /** Closes every session of a user (disabled, deleted...); returns how many. */
  kickUser(userId: string, message = 'Session closed by administrator.'): number {
    let count = 0;
    for (const session of this.live.values()) {
      if (!session.closed && session.principal?.userId === userId) {
        session.closeWith(Reply.SERVICE_UNAVAILABLE, message);
        count++;
      }
    }
    return count;
  }

  /** Replaces the certificate for new connections; throws (keeping the old one) when invalid. */
  updateTls(material: TlsMaterial): void {
    if (!this.tls) throw new Error('This listener has no TLS configured');
    this.tls.update(material);
  }

  /**
   * Graceful shutdown: stop accepting, refuse new logins, give running
   * transfers `graceMs` to finish, then `421` to everyone.
   */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    const graceMs = options.graceMs ?? 10_000;
    this.shutdown = true;
    const listenerClosed = new Promise<void>((resolve) => {
      if (!this.listener.listening) resolve();
      else this.listener.close(() => resolve());
    });
    const transfers = [...this.live.values()].flatMap((s) => (s.transfer ? [s.transfer.done] : []));
    if (transfers.length > 0) {
      const timer = new AbortController();
      await Promise.race([
        Promise.all(transfers),
        sleep(graceMs, undefined, { signal: timer.signal }).catch(() => undefined),
      ]);
      timer.abort();
    }
    for (const session of this.live.values()) {
      session.closeWith(Reply.SERVICE_UNAVAILABLE, 'Server shutting down.');
    }
    if (this.connected.size > 0) {
      await new Promise<void>((resolve) => this.closedWaiters.add(resolve));
    }
    await listenerClosed;
  }

  sessionClosed(session: FtpSession): void {
    if (!this.live.delete(session.id)) return;
    const count = (this.perIp.get(session.client.address) ?? 1) - 1;
    if (count <= 0) this.perIp.delete(session.client.address);
    else this.perIp.set(session.client.address, count);
  }

  sessionEnded(session: FtpSession): void {
    this.connected.delete(session);
    if (this.connected.size === 0) {
      for (const resolve of this.closedWaiters) resolve();
      this.closedWaiters.clear();
    }
  }

  private onConnection(socket: net.Socket): void {
    if (this.shutdown) {
      socket.destroy();
      return;
    }
    socket.on('error', () => socket.destroy());
    const address = normalizeAddress(socket.remoteAddress);
    const { maxSessions, maxSessionsPerIp } = this.options;
    const fromIp = this.perIp.get(address) ?? 0;
    if (
      (maxSessions && this.live.size >= maxSessions) ||
      (maxSessionsPerIp && fromIp >= maxSessionsPerIp)
    ) {
      // Plain text even on an implicit listener: the client gets at least a TCP close.
      if (this.tlsMode !== 'implicit') {
        socket.end(formatReply(Reply.SERVICE_UNAVAILABLE, 'Too many connections.'));
      } else {
        socket.destroy();
      }
      return;
    }
    const binding =
      this.tls && this.options.tls?.requireSessionReuse ? new TlsSessionBinding() : null;
    const control =
      this.tlsMode === 'implicit' && this.tls ? this.tls.wrap(socket, binding, 'control') : socket;
    const session = new FtpSession(this, control, binding);
    this.live.set(session.id, session);
    this.connected.add(session);
    this.perIp.set(address, fromIp + 1);
    session.start();
  }
}
