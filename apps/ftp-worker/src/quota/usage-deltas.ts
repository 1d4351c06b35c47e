import { Logger } from '@nestjs/common';

/** Changes to one user's usage row that no quota needs to see at once. */
export interface UsageDelta {
  usedBytes?: number;
  usedFiles?: number;
  /** Bytes received, charged to the upload counter of the period. */
  uploadBytes?: number;
  /** Bytes sent, charged to the download counter of the period. */
  downloadBytes?: number;
}

export interface UserUsageDelta extends Required<UsageDelta> {
  userId: string;
}

/** Port: applies the deltas of many users in one statement (QuotaRepository.applyUsageDeltas). */
export interface UsageDeltaSink {
  applyUsageDeltas(periodStart: Date, deltas: UserUsageDelta[]): Promise<void>;
}

interface Pending {
  userId: string;
  periodStart: Date;
  delta: Required<UsageDelta>;
}

/** How long a delta may wait before it is written (and the most a crash can lose). */
export const USAGE_FLUSH_INTERVAL_MS = 1000;

/**
 * The usage counters of users no quota limits, written behind: a commit, a
 * download or a delete of such a user adds its delta here instead of waiting
 * for its own UPDATE (a commit, so a WAL flush, before every `226`), and the
 * deltas of every session of this worker are written in one statement a
 * second later, at the end of a session, and at shutdown. A user with a quota
 * never comes here for the dimension the quota limits (QuotaSession decides),
 * so no quota can be exceeded by what waits.
 *
 * A write that fails keeps its deltas for the next one. A crash loses at most
 * the last interval's deltas of unlimited users: `used_bytes`/`used_files`
 * are corrected by the quota reconcile job's scan (which waits out one
 * interval before it corrects, see QuotaReconcileService), and the transfer
 * counters of unlimited users are informational.
 */
export class UsageDeltaBuffer {
  private readonly logger = new Logger(UsageDeltaBuffer.name);
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  /** Flushes run one after another, so a session's flush also waits for one in flight. */
  private chain: Promise<void> = Promise.resolve();
  private failing = false;

  constructor(
    private readonly sink: UsageDeltaSink,
    private readonly intervalMs = USAGE_FLUSH_INTERVAL_MS,
  ) {}

  /** Deltas added and not yet written (tests, metrics). */
  get size(): number {
    return this.pending.size;
  }

  add(userId: string, periodStart: Date, delta: UsageDelta): void {
    const key = `${userId} ${periodStart.getTime()}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = {
        userId,
        periodStart,
        delta: { usedBytes: 0, usedFiles: 0, uploadBytes: 0, downloadBytes: 0 },
      };
      this.pending.set(key, entry);
    }
    entry.delta.usedBytes += delta.usedBytes ?? 0;
    entry.delta.usedFiles += delta.usedFiles ?? 0;
    entry.delta.uploadBytes += delta.uploadBytes ?? 0;
    entry.delta.downloadBytes += delta.downloadBytes ?? 0;
    this.arm();
  }

  /** Writes everything added so far; rejects (keeping the deltas) when the write fails. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.write());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and writes what is left (shutdown). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => this.arm());
    }, this.intervalMs);
    this.timer.unref();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const byPeriod = new Map<number, Pending[]>();
    for (const entry of batch.values()) {
      const group = byPeriod.get(entry.periodStart.getTime()) ?? [];
      group.push(entry);
      byPeriod.set(entry.periodStart.getTime(), group);
    }
    // Oldest period first, the order the rows moved through them.
    const periods = [...byPeriod.keys()].sort((a, b) => a - b);
    for (const [i, period] of periods.entries()) {
      const group = byPeriod.get(period)!;
      try {
        await this.sink.applyUsageDeltas(
          group[0]!.periodStart,
          group.map((p) => ({ userId: p.userId, ...p.delta })),
        );
      } catch (error) {
        for (const later of periods.slice(i)) {
          for (const p of byPeriod.get(later)!) this.add(p.userId, p.periodStart, p.delta);
        }
        if (!this.failing) {
          this.logger.warn(
            `usage counters not written, kept for the next attempt: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        this.failing = true;
        throw error;
      }
    }
    if (this.failing) this.logger.log('usage counters written again');
    this.failing = false;
  }
}
