import { Inject, Injectable, Logger } from '@nestjs/common';
import { type HomeUsage, removeStaleUploads, scanHomes } from '@wharf/storage';

import { QuotaRepository, type UsageCounters, type UserHome } from './quota.repository';
import { QUOTA_RECONCILE_OPTIONS } from './quota.tokens';
import { USAGE_FLUSH_INTERVAL_MS } from './usage-deltas';

export interface QuotaReconcileOptions {
  storageRoot: string;
  /** A reservation's worker is dead when its heartbeat is older than this (three missed beats). */
  staleWorkerAfterSeconds: number;
  /** Temporary upload files untouched this long belong to dead uploads and are removed. */
  staleTempFileAgeMs: number;
  /**
   * Before a drift is corrected: how long to wait for usage written behind
   * (UsageDeltaBuffer) by any worker to land, so a file whose delta was still
   * waiting when the scan saw it is not counted twice. Default two intervals.
   */
  settleMs?: number;
  now?: () => Date;
}

/** Payload of the QuotaReconcile job; empty = every user. */
export interface QuotaReconcileScope {
  userIds?: string[];
}

export interface QuotaReconcileResult {
  users: number;
  corrected: number;
  /** Users skipped because an upload held a reservation or the counters moved during the scan. */
  busy: number;
  /** Users without a home directory on disk (left alone). */
  missingHomes: number;
  droppedReservations: number;
  staleTempFilesRemoved: number;
}

const PAGE = 200;

interface Drift {
  user: UserHome;
  before: UsageCounters;
  scanned: HomeUsage;
}

/**
 * The repeatable maintenance job (MaintenanceJobName.QuotaReconcile): gives
 * back what dead workers reserved, then rescans every home and sets
 * used_bytes/used_files to what is really on disk. Every change is recorded
 * in `usage_corrections` (docs/design/2026-11-25-quotas.md).
 */
@Injectable()
export class QuotaReconcileService {
  private readonly logger = new Logger(QuotaReconcileService.name);

  constructor(
    private readonly repository: QuotaRepository,
    @Inject(QUOTA_RECONCILE_OPTIONS) private readonly options: QuotaReconcileOptions,
  ) {}

  /**
   * `scope.userIds` limits the run (drift and dead reservations) to those
   * users, e.g. an admin's "recount this user"; without it, everyone.
   */
  async run(scope: QuotaReconcileScope = {}): Promise<QuotaReconcileResult> {
    const started = performance.now();
    const result: QuotaReconcileResult = {
      users: 0,
      corrected: 0,
      busy: 0,
      missingHomes: 0,
      droppedReservations: 0,
      staleTempFilesRemoved: 0,
    };

    const dropped = await this.repository.dropDeadReservations(
      this.options.staleWorkerAfterSeconds,
      undefined,
      scope.userIds,
    );
    for (const d of dropped) await this.repository.recordDeadReservation(d);
    result.droppedReservations = dropped.length;

    const now = this.options.now ?? (() => new Date());
    result.staleTempFilesRemoved = await removeStaleUploads(
      this.options.storageRoot,
      this.options.staleTempFileAgeMs,
      now(),
    );
    let after: string | null = null;
    for (;;) {
      const page = await this.repository.userHomes(after, PAGE, scope.userIds);
      if (page.length === 0) break;
      after = page[page.length - 1]!.userId;
      const drifted: Drift[] = [];
      // One statement each for the whole page, not three per user.
      const ids = page.map((u) => u.userId);
      await this.repository.ensureUsageRows(ids);
      const counters = await this.repository.countersOf(ids);
      const reserving = await this.repository.usersWithReservations(ids);
      const candidates: { user: UserHome; before: UsageCounters }[] = [];
      for (const user of page) {
        result.users += 1;
        const before = counters.get(user.userId);
        if (!before || reserving.has(user.userId)) result.busy += 1;
        else candidates.push({ user, before });
      }
      // The whole page in one request to the walk thread: the event loop that serves FTP
      // sessions pays one message, not a callback per directory and file.
      const usages = await scanHomes(
        this.options.storageRoot,
        candidates.map(({ user }) => user.homeDir),
      );
      candidates.forEach(({ user, before }, i) => {
        const scanned = usages[i]!;
        if (scanned === null) result.missingHomes += 1;
        else if (scanned.bytes !== before.usedBytes || scanned.files !== before.usedFiles) {
          drifted.push({ user, before, scanned });
        }
      });
      if (drifted.length > 0) {
        // Usage of unlimited users lands up to an interval after the file (UsageDeltaBuffer):
        // wait it out, so the guard below sees a counter that moved meanwhile.
        const settleMs = this.options.settleMs ?? 2 * USAGE_FLUSH_INTERVAL_MS;
        await new Promise((resolve) => setTimeout(resolve, settleMs));
      }
      for (const { user, before, scanned } of drifted) {
        // Applied only if nothing moved since `before`; otherwise the next run decides.
        const corrected = await this.repository.correctDrift({
          userId: user.userId,
          expected: { usedBytes: before.usedBytes, usedFiles: before.usedFiles },
          scanned,
          details: { homeDir: user.homeDir },
        });
        if (corrected) {
          result.corrected += 1;
          this.logger.log(
            `corrected ${user.username}: bytes ${before.usedBytes} -> ${scanned.bytes}, files ${before.usedFiles} -> ${scanned.files}`,
          );
        } else {
          result.busy += 1;
        }
      }
    }
    this.logger.log(
      `reconciled ${result.users} user(s) in ${Math.round(performance.now() - started)} ms: ` +
        `${result.corrected} corrected, ${result.busy} busy, ` +
        `${result.droppedReservations} dead reservation(s) dropped`,
    );
    return result;
  }
}
