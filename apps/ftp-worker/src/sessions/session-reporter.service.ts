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
];

/** `updated_at` is the database's `now()` when the row was written (the session's row changed). */
const UPSERT_HEAD = `INSERT INTO "ftp_sessions" (${COLUMNS.map((c) => `"${c}"`).join(', ')}, "updated_at") VALUES`;
const UPSERT_TAIL = `ON CONFLICT ("id") DO UPDATE SET ${[
  ...COLUMNS.filter((c) => c !== 'id'),
  'updated_at',
]
  .map((c) => `"${c}" = EXCLUDED."${c}"`)
  .join(', ')}`;

/**
 * Rows per INSERT of a report. PostgreSQL takes at most 65,535 bind parameters
 * per statement (12 a row: 5,461 rows), and one statement for 10,000 sessions
 * also built its SQL text, parameter array and wire message (megabytes,
 * V8's large-object space) anew every second.
 */
export const ROWS_PER_STATEMENT = 500;

/** The last snapshot of a session that reached the database, and the report that saw it. */
interface Reported {
  snapshot: SessionSnapshot;
  seen: number;
}

/**
 * Mirrors this worker's live sessions into `ftp_sessions` for
 * `GET /api/v1/sessions`. Each report deletes the rows of sessions that
 * ended, counts the worker's rows (a read) and upserts only the sessions whose
 * row changed since the last successful report, in one transaction (none at
 * all when nothing changed), so `updatedAt` is when the session's row last
 * changed and liveness stays the worker's heartbeat. An idle session costs no
 * statement, parameter, row object or rewritten tuple; a worker whose sessions
 * are all idle sends one `SELECT count(*)` per report. The count finds rows
 * deleted behind the reporter's back (logout's releaseSession before a REIN'd
 * session goes on): the next report is then full. The first report, and the
 * one after a failed report, replaces the worker's rows in full (upsert the
 * live ones, delete the rest), so a missed report is healed by the next.
 * `start(source)` reports every `intervalMs`; at shutdown the worker's rows
 * are removed (before the registry closes the database).
 * Snapshots must not be mutated once reported (the last one is kept to
 * compare).
 */
@Injectable()
export class SessionReporter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionReporter.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;
  /** By session id: what the database holds since the last successful report. */
  private readonly reported = new Map<string, Reported>();
  /** The next report replaces all rows (first report, or after a failed one). */
  private fullNext = true;
  private reports = 0;

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
    const full = this.fullNext;
    this.fullNext = true; // until this report succeeds
    try {
      if (full) await this.replaceAll(snapshots);
      this.fullNext = full ? false : !(await this.writeChanges(snapshots));
    } catch (error) {
      this.reported.clear();
      throw error;
    }
  }

  private async replaceAll(snapshots: SessionSnapshot[]): Promise<void> {
    const workerId = this.registry.workerId;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `DELETE FROM "ftp_sessions" WHERE "worker_id" = $1 AND NOT ("id" = ANY($2::text[]))`,
        [workerId, snapshots.map((s) => s.id)],
      );
      await upsertAll(manager, snapshots, workerId);
    });
    this.reported.clear();
    for (const s of snapshots) this.reported.set(s.id, { snapshot: s, seen: 0 });
  }

  /**
   * Writes what changed since the last report. False when rows this reporter
   * wrote were missing (deleted behind its back, as logout's releaseSession
   * does for a session that then lives on after REIN): the next report is full.
   */
  private async writeChanges(snapshots: SessionSnapshot[]): Promise<boolean> {
    const workerId = this.registry.workerId;
    const seen = ++this.reports;
    let changed: SessionSnapshot[] | undefined;
    for (const s of snapshots) {
      const last = this.reported.get(s.id);
      if (last) {
        last.seen = seen;
        if (sameRow(last.snapshot, s)) continue;
      }
      (changed ??= []).push(s);
    }
    const ended: string[] = [];
    // forEach, not for-of: no [id, entry] array per session.
    this.reported.forEach((last, id) => {
      if (last.seen !== seen) ended.push(id);
    });
    const expected = this.reported.size - ended.length;
    const write = async (manager: EntityManager): Promise<number> => {
      if (ended.length > 0) {
        await manager.query(
          `DELETE FROM "ftp_sessions" WHERE "worker_id" = $1 AND "id" = ANY($2::text[])`,
          [workerId, ended],
        );
      }
      // A read, not a write: the rows of unchanged sessions are left as they are.
      const [{ present }] = (await manager.query(
        `SELECT count(*)::int AS present FROM "ftp_sessions" WHERE "worker_id" = $1`,
        [workerId],
      )) as [{ present: number }];
      if (changed) await upsertAll(manager, changed, workerId);
      return present;
    };
    // Nothing to write (idle sessions): one read, no transaction.
    const present =
      ended.length === 0 && !changed
        ? await write(this.dataSource.manager)
        : await this.dataSource.transaction(write);
    for (const id of ended) this.reported.delete(id);
    if (changed) for (const s of changed) this.reported.set(s.id, { snapshot: s, seen });
    return present >= expected;
  }

  /** Removes every row of this worker (its sessions are gone with it). */
  async removeAll(): Promise<void> {
    this.reported.clear();
    this.fullNext = true;
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

async function upsertAll(
  manager: EntityManager,
  snapshots: SessionSnapshot[],
  workerId: string,
): Promise<void> {
  for (let i = 0; i < snapshots.length; i += ROWS_PER_STATEMENT) {
    await upsert(manager, snapshots.slice(i, i + ROWS_PER_STATEMENT), workerId);
  }
}

async function upsert(
  manager: EntityManager,
  snapshots: SessionSnapshot[],
  workerId: string,
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
      storedBytes(s.bytesTransferred),
      s.transfer
        ? JSON.stringify({ ...s.transfer, startedAt: s.transfer.startedAt.toISOString() })
        : null,
    ];
    const start = params.length;
    params.push(...values);
    return `(${values.map((_v, i) => `$${start + i + 1}`).join(', ')}, now())`;
  });
  await manager.query(`${UPSERT_HEAD} ${tuples.join(', ')} ${UPSERT_TAIL}`, params);
}

/** Whether two snapshots of a session give the same row (bar `updated_at`). */
function sameRow(a: SessionSnapshot, b: SessionSnapshot): boolean {
  return (
    a.serverId === b.serverId &&
    a.userId === b.userId &&
    a.username === b.username &&
    a.clientIp === b.clientIp &&
    a.clientPort === b.clientPort &&
    a.tls === b.tls &&
    sameTime(a.loginAt, b.loginAt) &&
    a.currentCommand === b.currentCommand &&
    storedBytes(a.bytesTransferred) === storedBytes(b.bytesTransferred) &&
    sameTransfer(a.transfer, b.transfer)
  );
}

function sameTransfer(a: SessionSnapshot['transfer'], b: SessionSnapshot['transfer']): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.direction === b.direction &&
    a.path === b.path &&
    a.bytes === b.bytes &&
    a.startedAt.getTime() === b.startedAt.getTime()
  );
}

function sameTime(a: Date | null, b: Date | null): boolean {
  if (a === null || b === null) return a === b;
  return a.getTime() === b.getTime();
}

function storedBytes(bytes: number): number {
  return Math.max(0, Math.round(bytes));
}
