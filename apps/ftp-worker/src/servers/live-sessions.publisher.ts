import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';

import { unmapIpv4 } from '../auth/ip-allow-list';
import { LivePrincipals } from '../policy/live-principals';
import { WorkerRegistryService } from '../registry/worker-registry.service';
import { SessionReporter, type SessionSnapshot } from '../sessions/session-reporter.service';
import { WORKER_OPTIONS, type WorkerOptions } from '../worker.tokens';
import { FtpListeners, type ServerSessionSnapshot } from './ftp-listeners';

const DIRECTION: Record<string, 'upload' | 'download'> = {
  RETR: 'download',
  STOR: 'upload',
  APPE: 'upload',
  STOU: 'upload',
};

/**
 * Feeds the engine's session snapshots to the pipeline's SessionReporter
 * (every `sessionReportMs`), and the session count to the heartbeat.
 */
@Injectable()
export class LiveSessionsPublisher implements OnApplicationBootstrap {
  /** When each running transfer was first seen (the engine's snapshot has no start time). */
  private readonly transferStarts = new Map<string, { key: string; startedAt: Date }>();

  constructor(
    private readonly listeners: FtpListeners,
    private readonly principals: LivePrincipals,
    private readonly reporter: SessionReporter,
    private readonly registry: WorkerRegistryService,
    @Inject(WORKER_OPTIONS) private readonly options: WorkerOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.reporter.start(() => this.collect(), this.options.sessionReportMs);
  }

  collect(): SessionSnapshot[] {
    const live = this.listeners.snapshots();
    const ids = new Set(live.map((s) => s.id));
    // A session that disconnected while its login was answered never logs out: forget it here.
    for (const id of this.principals.sessionIds()) if (!ids.has(id)) this.principals.remove(id);
    for (const id of this.transferStarts.keys()) if (!ids.has(id)) this.transferStarts.delete(id);
    this.registry.setSessionCount(live.length);
    return live.map((s) => this.toReport(s));
  }

  private toReport(s: ServerSessionSnapshot): SessionSnapshot {
    // The authenticator knows the user before the engine marks the session logged in.
    const pending = this.principals.get(s.id);
    return {
      id: s.id,
      serverId: s.serverId,
      userId: s.userId ?? pending?.userId ?? null,
      username: s.username ?? pending?.username ?? null,
      clientIp: unmapIpv4(s.client.address),
      clientPort: s.client.port,
      tls: s.tlsVersion,
      loginAt: s.loginAt ?? (pending ? new Date() : null),
      currentCommand: s.currentCommand,
      bytesTransferred: s.bytesUploaded + s.bytesDownloaded + (s.transfer?.bytes ?? 0),
      transfer: this.transferOf(s),
    };
  }

  private transferOf(s: ServerSessionSnapshot): SessionSnapshot['transfer'] {
    const direction = s.transfer ? DIRECTION[s.transfer.command] : undefined;
    if (!s.transfer || !direction) {
      this.transferStarts.delete(s.id);
      return null;
    }
    const key = `${s.transfer.command} ${s.transfer.path ?? ''}`;
    let start = this.transferStarts.get(s.id);
    if (start?.key !== key) {
      start = { key, startedAt: new Date() };
      this.transferStarts.set(s.id, start);
    }
    return {
      direction,
      path: s.transfer.path ?? '',
      bytes: s.transfer.bytes,
      startedAt: start.startedAt,
    };
  }
}
