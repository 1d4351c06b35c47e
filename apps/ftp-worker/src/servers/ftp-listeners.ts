import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type FtpLogger,
  FtpServer,
  type FtpServerOptions,
  type SessionSnapshot,
} from '@wharf/ftp-protocol';

import { FtpLoginService } from '../auth/ftp-login.service';
import { EngineEventSinks } from '../events/engine-event-sink';
import { WORKER_OPTIONS, type WorkerOptions } from '../worker.tokens';
import type { ListenerSpec } from './listener-spec';

interface Listener {
  spec: ListenerSpec;
  /** null while the port could not be bound (retried by the next reconcile). */
  server: FtpServer | null;
  error: string | null;
}

export interface ServerSessionSnapshot extends SessionSnapshot {
  serverId: string;
}

/** Listener state for the worker's heartbeat meta (read by GET /servers/:id/status). */
export interface ListenerReport {
  servers: string[];
  listeners: { serverId: string; name: string; address: string; error: string | null }[];
}

function nestLogger(logger: Logger): FtpLogger {
  const format = (message: string, context?: Record<string, unknown>) =>
    context ? `${message} ${JSON.stringify(context)}` : message;
  return {
    log: (m, c) => logger.log(format(m, c)),
    warn: (m, c) => logger.warn(format(m, c)),
    error: (m, c) => logger.error(format(m, c)),
    debug: (m, c) => logger.debug(format(m, c)),
  };
}

/**
 * The engine listeners of this worker, one per server it runs, plus the ones
 * still closing (their sessions keep being reported and can be kicked until
 * they are gone). Start failures (port in use...) are kept with their error
 * and never thrown: one bad server must not take the worker down.
 */
@Injectable()
export class FtpListeners {
  private readonly logger = new Logger(FtpListeners.name);
  private readonly engineLogger = nestLogger(new Logger('FtpEngine'));
  private readonly listeners = new Map<string, Listener>();
  private readonly closing = new Map<FtpServer, string>();

  constructor(
    private readonly login: FtpLoginService,
    private readonly sinks: EngineEventSinks,
    @Inject(WORKER_OPTIONS) private readonly options: WorkerOptions,
  ) {}

  /** Spec each server was started with (null = failed to start). */
  running(): Map<string, ListenerSpec | null> {
    return new Map([...this.listeners].map(([id, l]) => [id, l.server ? l.spec : null]));
  }

  async start(spec: ListenerSpec): Promise<void> {
    try {
      // Inside the try: bad TLS material throws from the constructor, a busy port from listen().
      const server = new FtpServer(this.engineOptions(spec));
      const address = await server.listen();
      this.listeners.set(spec.serverId, { spec, server, error: null });
      this.logger.log(
        `server ${spec.name} (${spec.serverId}) listening on ${address.host}:${address.port}`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.listeners.set(spec.serverId, { spec, server: null, error: message });
      this.logger.error(`server ${spec.name} (${spec.serverId}) cannot listen: ${message}`);
    }
  }

  private engineOptions(spec: ListenerSpec): FtpServerOptions {
    return {
      authenticator: this.login.forServer(spec.serverId, { fsyncUploads: spec.fsyncUploads }),
      events: this.sinks.forServer(spec.serverId),
      logger: this.engineLogger,
      host: spec.host,
      port: spec.port,
      tls: spec.tls
        ? {
            mode: spec.tlsMode === 'implicit' ? 'implicit' : 'explicit',
            cert: spec.tls.cert,
            key: spec.tls.key,
            requireSessionReuse: spec.requireTlsSessionReuse,
          }
        : undefined,
      requireTls: spec.requireTls,
      passivePorts: spec.passivePorts,
      publicHost: spec.publicHost,
      banner: spec.banner,
      loginTimeoutMs: spec.loginTimeoutMs,
      idleTimeoutMs: spec.idleTimeoutMs,
      maxSessions: spec.maxSessions,
      maxSessionsPerIp: spec.maxSessionsPerIp,
      // One token bucket per direction for the whole listener: the server's
      // cap is shared by its sessions on this worker (the user's applies too).
      bandwidth: spec.bandwidth,
      // Off: the upload events (transfer-log rows) carry no sha256, saving ~0.6 s of CPU per GiB.
      uploadSha256: spec.uploadSha256,
    };
  }

  /** Stops a listener; its sessions get `graceMs` to finish transfers, then 421. */
  stop(serverId: string, graceMs = this.options.drainGraceMs): Promise<void> {
    const listener = this.listeners.get(serverId);
    this.listeners.delete(serverId);
    const server = listener?.server;
    if (!server) return Promise.resolve();
    this.logger.log(`stopping server ${listener.spec.name} (${serverId})`);
    this.closing.set(server, serverId);
    // close() frees the port synchronously; what is awaited is the sessions' end.
    return server
      .close({ graceMs })
      .catch((error: unknown) => this.logger.warn(`closing ${serverId} failed: ${String(error)}`))
      .finally(() => this.closing.delete(server));
  }

  async restart(spec: ListenerSpec): Promise<void> {
    // Not awaited: the old sessions drain while the new listener already accepts.
    void this.stop(spec.serverId);
    await this.start(spec);
  }

  /** Replaces the certificate without dropping connections; keeps the old one when invalid. */
  swapCertificate(spec: ListenerSpec): void {
    const listener = this.listeners.get(spec.serverId);
    if (!listener?.server || !spec.tls) return;
    try {
      listener.server.updateTls(spec.tls);
      listener.spec = spec;
      this.logger.log(`server ${spec.name} (${spec.serverId}): certificate replaced`);
    } catch (error) {
      this.logger.error(`server ${spec.serverId}: new certificate rejected: ${String(error)}`);
    }
  }

  /** SIGTERM: every listener stops accepting and drains in parallel. */
  async drainAll(graceMs: number): Promise<void> {
    const ids = [...this.listeners.keys()];
    await Promise.allSettled([
      ...ids.map((id) => this.stop(id, graceMs)),
      ...[...this.closing.keys()].map((s) => s.close({ graceMs })),
    ]);
  }

  private servers(): { serverId: string; server: FtpServer }[] {
    const result: { serverId: string; server: FtpServer }[] = [];
    for (const [serverId, l] of this.listeners)
      if (l.server) result.push({ serverId, server: l.server });
    for (const [server, serverId] of this.closing) result.push({ serverId, server });
    return result;
  }

  snapshots(): ServerSessionSnapshot[] {
    return this.servers().flatMap(({ serverId, server }) =>
      server.sessions().map((s) => ({ ...s, serverId })),
    );
  }

  kick(sessionId: string, message: string): boolean {
    return this.servers().some(({ server }) => server.kick(sessionId, message));
  }

  kickUser(userId: string, message: string): number {
    return this.servers().reduce((n, { server }) => n + server.kickUser(userId, message), 0);
  }

  report(): ListenerReport {
    const listeners = [...this.listeners.values()].map((l) => ({
      serverId: l.spec.serverId,
      name: l.spec.name,
      address: `${l.spec.host}:${l.spec.port}`,
      error: l.error,
    }));
    return {
      servers: listeners.filter((l) => l.error === null).map((l) => l.serverId),
      listeners,
    };
  }
}
