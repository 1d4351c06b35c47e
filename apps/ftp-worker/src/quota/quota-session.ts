import { randomUUID } from 'node:crypto';

import { Logger } from '@nestjs/common';
import type { FileSystem, SessionPolicy, VirtualPath } from '@wharf/ftp-protocol';

import { QuotaErrorCode, QuotaException } from './quota.exception';
import type { QuotaRepository } from './quota.repository';
import { QuotaFileSystem } from './quota-file-system';
import type { QuotaLimits } from './quota-limits';
import { periodStart } from './quota-period';
import type { UsageDeltaBuffer } from './usage-deltas';

export interface QuotaSessionContext {
  userId: string;
  sessionId: string;
  workerId: string;
  limits: QuotaLimits;
  now: () => Date;
}

export interface UploadStart {
  /** Size of the file under the final name before the upload, null when there is none. */
  existingSize: number | null;
  /** Bytes of the existing file the upload keeps (REST offset, or its size for APPE). */
  keep: number;
}

/** How an upload's end reaches the quota: commit with the stored size, or abort. */
export type UploadCompletion = Pick<UploadQuota, 'commit' | 'abort'>;

/**
 * The quota of one upload in progress: reserved in PostgreSQL while bytes
 * arrive, turned into usage on commit, given back on abort. Used by one FTP
 * session at a time, so its local state needs no locking.
 */
export class UploadQuota {
  private reserved = 0;
  private open = true;
  /** Bytes went through reserve(): they were charged to the upload counter on the way. */
  private metered = false;

  constructor(
    private readonly repository: QuotaRepository,
    private readonly context: QuotaSessionContext,
    readonly reservationId: string,
    readonly path: VirtualPath,
    private readonly start: UploadStart,
    private readonly onClosed: (upload: UploadQuota) => void,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  get reservedBytes(): number {
    return this.reserved;
  }

  /** All or nothing: true when `bytes` more may be written. */
  async reserve(bytes: number): Promise<boolean> {
    if (!this.open) return false;
    if (bytes <= 0) return true;
    this.metered = true;
    const { limits, userId, now } = this.context;
    const ok = await this.repository.reserveBytes({
      reservationId: this.reservationId,
      userId,
      bytes,
      quotaBytes: limits.quotaBytes,
      uploadQuotaBytes: limits.uploadQuotaBytes,
      periodStart: periodStart(now(), limits.quotaPeriod),
    });
    if (ok) this.reserved += bytes;
    return ok;
  }

  /** Gives back part of the reservation (never more than is held). */
  async release(bytes: number): Promise<void> {
    const give = Math.min(bytes, this.reserved);
    if (!this.open || give <= 0) return;
    this.reserved -= give;
    await this.repository.releaseBytes(this.reservationId, give);
  }

  /**
   * The upload is in place with `finalSize` bytes: usage grows by the growth
   * of the file (an overwrite counts only the difference), a new file counts
   * one more, and the unreceived rest of the reservation is given back.
   */
  async commit(finalSize: number): Promise<void> {
    if (!this.open) return;
    this.close();
    const previous = this.start.existingSize ?? 0;
    const { limits, userId, now } = this.context;
    await this.repository.closeReservation({
      reservationId: this.reservationId,
      userId,
      usedBytesDelta: finalSize - previous,
      usedFilesDelta: this.start.existingSize === null ? 1 : 0,
      receivedBytes: Math.max(finalSize - this.start.keep, 0),
      // Nothing was reserved on the way (QuotaSession.policyHooks): the upload counter grows now.
      chargeUploadFrom: this.metered ? undefined : periodStart(now(), limits.quotaPeriod),
    });
  }

  /** Nothing was stored: everything reserved goes back. */
  async abort(): Promise<void> {
    if (!this.open) return;
    this.close();
    await this.repository.closeReservation({
      reservationId: this.reservationId,
      userId: this.context.userId,
      usedBytesDelta: 0,
      usedFilesDelta: 0,
      receivedBytes: 0,
    });
  }

  /** The session closes: its reservations are dropped in one go by the session. */
  forget(): void {
    this.open = false;
    this.reserved = 0;
  }

  private close(): void {
    this.open = false;
    this.reserved = 0;
    this.onClosed(this);
  }
}

/**
 * Quotas of one FTP session. Give the engine both halves, they work together:
 * `wrapFileSystem(fs)` as the session's FileSystem (it opens and closes the
 * reservation of each upload, counts deletes and downloads, answers AVBL) and
 * `policyHooks()` spread into the session's SessionPolicy (reserve/release
 * while bytes arrive), then call `close()` from onLogout.
 */
export class QuotaSession {
  private readonly logger = new Logger(QuotaSession.name);
  private readonly uploads = new Map<VirtualPath, UploadQuota>();

  constructor(
    private readonly repository: QuotaRepository,
    readonly context: QuotaSessionContext,
    /** Where the usage of what no quota limits is written behind; null = every change at once. */
    private readonly deltas: UsageDeltaBuffer | null = null,
  ) {}

  get limits(): QuotaLimits {
    return this.context.limits;
  }

  wrapFileSystem(inner: FileSystem): FileSystem {
    return new QuotaFileSystem(inner, this);
  }

  /**
   * The engine's reserve/release hooks, or null when nothing limits this
   * session's uploads by size (no storage quota, no upload transfer quota):
   * then the engine skips the reservation stage, which costs one PostgreSQL
   * round trip per 4 MiB, and the upload's commit counts it in one statement.
   * The file quota is still checked when an upload opens (wrapFileSystem).
   */
  policyHooks(): Required<Pick<SessionPolicy, 'reserve' | 'release'>> | null {
    if (!metersUploads(this.context.limits)) return null;
    return {
      reserve: (bytes, path) => this.reserve(bytes, path),
      release: (bytes, path) => this.release(bytes, path),
    };
  }

  /**
   * Opens the reservation of an upload to `path`. A new file takes a file
   * slot now, so a full file quota refuses the upload before any byte moves.
   */
  async beginUpload(path: VirtualPath, start: UploadStart): Promise<UploadQuota> {
    const previous = this.uploads.get(path);
    if (previous) await previous.abort();
    const { userId, sessionId, workerId, limits } = this.context;
    const reservationId = randomUUID();
    const opened = await this.repository.openReservation(
      { reservationId, userId, workerId, sessionId, path },
      start.existingSize === null,
      limits.quotaFiles,
    );
    if (!opened) {
      throw new QuotaException(QuotaErrorCode.UploadRefused, 'File quota exceeded.');
    }
    const upload = new UploadQuota(
      this.repository,
      this.context,
      reservationId,
      path,
      start,
      (u) => {
        if (this.uploads.get(u.path) === u) this.uploads.delete(u.path);
      },
    );
    this.uploads.set(path, upload);
    return upload;
  }

  /**
   * The quota side of an upload to `path` (QuotaFileSystem): a reservation
   * (beginUpload) when a byte or file limit could refuse it, else none.
   */
  async openUpload(path: VirtualPath, start: UploadStart): Promise<UploadCompletion> {
    if (this.deltas && !reservesUploads(this.context.limits)) {
      return this.unreservedUpload(this.deltas, start);
    }
    return this.beginUpload(path, start);
  }

  /**
   * No quota can refuse this upload (no byte or file limit): nothing is
   * reserved, and its commit adds the file's growth to the written-behind
   * usage instead of two statements around the transfer.
   */
  private unreservedUpload(deltas: UsageDeltaBuffer, start: UploadStart): UploadCompletion {
    const { userId, limits, now } = this.context;
    return {
      commit: (finalSize: number) => {
        deltas.add(userId, periodStart(now(), limits.quotaPeriod), {
          usedBytes: finalSize - (start.existingSize ?? 0),
          usedFiles: start.existingSize === null ? 1 : 0,
          uploadBytes: Math.max(finalSize - start.keep, 0),
        });
        return Promise.resolve();
      },
      abort: () => Promise.resolve(),
    };
  }

  async reserve(bytes: number, path: VirtualPath): Promise<boolean> {
    const upload = this.uploads.get(path);
    if (!upload) {
      throw new QuotaException(
        QuotaErrorCode.NoActiveUpload,
        `no upload open for ${path}: the session FileSystem must be wrapped by wrapFileSystem()`,
      );
    }
    return upload.reserve(bytes);
  }

  /** After commit or abort the upload's reservation is already closed: then a no-op. */
  async release(bytes: number, path: VirtualPath): Promise<void> {
    await this.uploads.get(path)?.release(bytes);
  }

  /** Charges a download chunk to the transfer quota; null = refused. */
  async chargeDownload(bytes: number): Promise<Date | null> {
    const { userId, limits, now } = this.context;
    if (this.deltas && limits.downloadQuotaBytes === null) {
      // Nothing to refuse: counted behind, the 226 does not wait for it.
      const period = periodStart(now(), limits.quotaPeriod);
      this.deltas.add(userId, period, { downloadBytes: bytes });
      return period;
    }
    return this.repository.chargeDownload({
      userId,
      bytes,
      downloadQuotaBytes: limits.downloadQuotaBytes,
      periodStart: periodStart(now(), limits.quotaPeriod),
    });
  }

  async refundDownload(bytes: number, chargedPeriod: Date): Promise<void> {
    if (bytes > 0) await this.repository.refundDownload(this.context.userId, bytes, chargedPeriod);
  }

  /** Download bytes left in this period, null when unlimited. */
  async downloadRemaining(): Promise<number | null> {
    const { limits, userId, now } = this.context;
    if (limits.downloadQuotaBytes === null) return null;
    const counters = await this.repository.counters(userId);
    const ps = periodStart(now(), limits.quotaPeriod);
    const used =
      counters?.periodStart && counters.periodStart >= ps ? counters.periodDownloadBytes : 0;
    return Math.max(limits.downloadQuotaBytes - used, 0);
  }

  async recordRemoval(bytes: number, files: number): Promise<void> {
    const { userId, limits, now } = this.context;
    if (this.deltas && limits.quotaBytes === null && limits.quotaFiles === null) {
      this.deltas.add(userId, periodStart(now(), limits.quotaPeriod), {
        usedBytes: -bytes,
        usedFiles: -files,
      });
      return;
    }
    await this.repository.recordRemoval(userId, bytes, files);
  }

  /** What the user may still upload (AVBL): the smaller of storage and transfer quota. */
  async available(): Promise<number | null> {
    const { limits, userId, now } = this.context;
    return availableFrom(limits, await this.repository.counters(userId), now());
  }

  /**
   * Gives back whatever this session still holds (logout, kick, disconnect),
   * including a reservation whose closing statement failed earlier.
   */
  async close(): Promise<void> {
    for (const upload of [...this.uploads.values()]) upload.forget();
    this.uploads.clear();
    const { sessionId, workerId } = this.context;
    try {
      // What this session counted behind is on record when the session is over.
      await this.deltas?.flush();
    } catch {
      // Kept by the buffer for its next write (it logs the failure).
    }
    try {
      await this.repository.dropSessionReservations(sessionId, workerId);
    } catch (error) {
      // Left for the reconcile job, which drops it once this worker is gone.
      this.logger.warn(
        `could not release the reservations of session ${sessionId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Whether an upload needs a reservation row at all: a byte or file limit could refuse it. */
export function reservesUploads(limits: QuotaLimits): boolean {
  return metersUploads(limits) || limits.quotaFiles !== null;
}

/** Whether uploads must reserve their bytes while they arrive (a byte limit applies to them). */
export function metersUploads(limits: QuotaLimits): boolean {
  return limits.quotaBytes !== null || limits.uploadQuotaBytes !== null;
}

export function availableFrom(
  limits: QuotaLimits,
  counters: {
    usedBytes: number;
    reservedBytes: number;
    periodStart: Date | null;
    periodUploadBytes: number;
  } | null,
  now: Date,
): number | null {
  const c = counters ?? { usedBytes: 0, reservedBytes: 0, periodStart: null, periodUploadBytes: 0 };
  const candidates: number[] = [];
  if (limits.quotaBytes !== null) {
    candidates.push(limits.quotaBytes - c.usedBytes - c.reservedBytes);
  }
  if (limits.uploadQuotaBytes !== null) {
    const ps = periodStart(now, limits.quotaPeriod);
    const used = c.periodStart && c.periodStart >= ps ? c.periodUploadBytes : 0;
    candidates.push(limits.uploadQuotaBytes - used);
  }
  if (candidates.length === 0) return null;
  return Math.max(Math.min(...candidates), 0);
}
