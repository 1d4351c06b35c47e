import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { WorkerRegistryService } from '../registry/worker-registry.service';

/** What the engine knows about one live session, as the worker reports it. */
export interface SessionSnapshot {
  id: string;
  serverId: string | null;
  userId: string | null;
  username: string | null;
  clientIp: string;
  clientPort: number;
  /** Negotiated TLS version of the control connection; null when plain. */
  tls: string | null;
  loginAt: Date | null;
  currentCommand: string | null;
  bytesTransferred: number;
  transfer: {
    direction: 'upload' | 'download';
    path: string;
    bytes: number;
    startedAt: Date;
  } | null;
}

const COLUMNS = [
  'id',
  'worker_id',
  'server_id',
  'user_id',
  'username',
  'client_ip',
  'client_port',
  'tls',
  'login_at',
  'current_command',
  'bytes_transferred',
  'transfer',
  'updated_at',
];

const UPSERT_HEAD = `INSERT INTO "ftp_sessions" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES`;
const UPSERT_TAIL = `ON CONFLICT ("id") DO UPDATE SET ${COLUMNS.filter((c) => c !== 'id')
  .map((c) => `"${c}" = EXCLUDED."${c}"`)
  .join(', ')}`;

/**
 * Rows per INSERT of a report. PostgreSQL takes at most 65,535 bind parameters
 * per statement (13 a row: 5,041 rows), and one statement for 10,000 sessions
 * also built its SQL text, parameter array and wire message (megabytes,
 * V8's large-object space) anew every second.
 */
export const ROWS_PER_STATEMENT = 500;

/**
 * Mirrors this worker's live sessions into `ftp_sessions` for
 * `GET /api/v1/sessions`. Each report replaces the worker's rows in one
 * transaction (upsert the live ones, delete the rest), so a missed report is
 * healed by the next. `start(source)` reports every `intervalMs`; at shutdown
 * the worker's rows are removed (before the registry closes the database).
 */
@Injectable()
export class SessionReporter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionReporter.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: WorkerRegistryService,
  ) {}

  /** Reports `source()` now and then every `intervalMs` until shutdown. */
  start(source: () => SessionSnapshot[], intervalMs = 1000): void {
    this.stop();
    const tick = () => {
      if (this.running) return; // the previous report is still in flight
      this.running = this.report(source())
        .then(() => {
          if (this.failing) this.logger.log('session reports succeed again');
          this.failing = false;
        })
        .catch((error: unknown) => {
          if (!this.failing) this.logger.warn(`session report failed: ${String(error)}`);
          this.failing = true;
        })
        .finally(() => {
          this.running = undefined;
        });
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Makes this worker's rows exactly `snapshots`, in one transaction. */
  async report(snapshots: SessionSnapshot[]): Promise<void> {
    const workerId = this.registry.workerId;
    const now = new Date();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `DELETE FROM "ftp_sessions" WHERE "worker_id" = $1 AND NOT ("id" = ANY($2::text[]))`,
        [workerId, snapshots.map((s) => s.id)],
      );
      for (let i = 0; i < snapshots.length; i += ROWS_PER_STATEMENT) {
        await upsert(manager, snapshots.slice(i, i + ROWS_PER_STATEMENT), workerId, now);
      }
    });
  }

  /** Removes every row of this worker (its sessions are gone with it). */
  async removeAll(): Promise<void> {
    await this.dataSource.query(`DELETE FROM "ftp_sessions" WHERE "worker_id" = $1`, [
      this.registry.workerId,
    ]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop();
    await this.running;
    if (!this.dataSource.isInitialized) return;
    try {
      await this.removeAll();
    } catch (error) {
      // Readers ignore rows of a worker whose heartbeat went stale, so this only delays cleanup.
      this.logger.warn(`could not remove session rows: ${String(error)}`);
    }
  }
}

async function upsert(
  manager: EntityManager,
  snapshots: SessionSnapshot[],
  workerId: string,
  now: Date,
): Promise<void> {
  const params: unknown[] = [];
  const tuples = snapshots.map((s) => {
    const values = [
      s.id,
      workerId,
      s.serverId,
      s.userId,
      s.username,
      s.clientIp,
      s.clientPort,
      s.tls,
      s.loginAt,
      s.currentCommand,
      Math.max(0, Math.round(s.bytesTransferred)),
      s.transfer
        ? JSON.stringify({ ...s.transfer, startedAt: s.transfer.startedAt.toISOString() })
        : null,
      now,
    ];
    const start = params.length;
    params.push(...values);
    return `(${values.map((_v, i) => `$${start + i + 1}`).join(', ')})`;
  });
  await manager.query(`${UPSERT_HEAD} ${tuples.join(', ')} ${UPSERT_TAIL}`, params);
}
