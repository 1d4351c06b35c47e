import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';

import { FtpError, FtpErrorCode, Reply, StepCredit } from '@wharf/ftp-protocol';

/** Download bytes are charged to the transfer quota ahead of sending, this much at first. */
export const DOWNLOAD_CHARGE_STEP_BYTES = 1024 * 1024;
/** Steps double up to this size on a long download (see StepCredit). */
export const DOWNLOAD_CHARGE_MAX_STEP_BYTES = 64 * 1024 * 1024;

export interface DownloadCharger {
  /** Charges `bytes` to the download quota; the period charged, or null when refused. */
  chargeDownload(bytes: number): Promise<Date | null>;
  refundDownload(bytes: number, chargedPeriod: Date): Promise<void>;
}

/**
 * Counts a download against the transfer quota as the bytes leave the file:
 * charged ahead in steps (one UPDATE per step, not per chunk) that grow from
 * 1 to 64 MiB, the next one charged while the current one is sent, so the
 * stream does not stand still for the database; the unsent rest is
 * refunded when the stream ends or is destroyed. When the quota runs out in
 * the middle, the stream fails with 451 (RFC 959 lists 451, not 550, after a
 * 150 for RETR); a download refused before it starts gets 550 (QuotaFileSystem).
 *
 * Without a download quota nothing can be refused, so nothing is charged
 * ahead: the bytes sent are counted and charged once, when the stream ends.
 * Waiting on the database every step stalled the stream (half the worker's
 * download profile was idle) for a user no quota limits.
 */
export class DownloadMeter extends Transform {
  private sent = 0;
  private period: Date | null = null;
  private settled = false;
  private readonly credit: StepCredit;

  constructor(
    private readonly charger: DownloadCharger,
    private readonly limited = true,
  ) {
    super();
    this.credit = new StepCredit({
      ask: (bytes) => this.charge(bytes),
      firstStep: DOWNLOAD_CHARGE_STEP_BYTES,
      maxStep: DOWNLOAD_CHARGE_MAX_STEP_BYTES,
    });
  }

  /** @param limited false when the user has no download quota: one charge at the end. */
  static wrap(source: Readable, charger: DownloadCharger, limited = true): Readable {
    const meter = new DownloadMeter(charger, limited);
    // pipeline destroys the source when the meter is destroyed (ABOR, client gone) and vice versa.
    pipeline(source, meter, () => undefined);
    return meter;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (!this.limited || this.credit.take(chunk.length)) {
      this.sent += chunk.length;
      callback(null, chunk);
      return;
    }
    this.credit.takeAsync(chunk.length).then(
      (ok) => {
        if (!ok) {
          callback(
            new FtpError(
              FtpErrorCode.QUOTA_EXCEEDED,
              'Transfer aborted: download quota exceeded for this period.',
              { reply: Reply.LOCAL_ERROR },
            ),
          );
          return;
        }
        this.sent += chunk.length;
        callback(null, chunk);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  override _flush(callback: TransformCallback): void {
    this.settle().then(
      () => callback(),
      (error: unknown) => callback(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.settle().then(
      () => callback(error),
      () => callback(error),
    );
  }

  /** One step (StepCredit.ask): true when charged. */
  private async charge(bytes: number): Promise<boolean> {
    const period = await this.charger.chargeDownload(bytes);
    if (period === null) return false;
    if (this.period !== null && this.period.getTime() !== period.getTime()) {
      // A new period began mid-download: what was charged before stays in the old one.
      this.credit.forfeit();
    }
    this.period = period;
    return true;
  }

  private async settle(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    if (!this.limited) {
      if (this.sent > 0) await this.charger.chargeDownload(this.sent);
      return;
    }
    // A step charged ahead may still be in flight: it is part of what goes back.
    await this.credit.settle();
    if (this.period !== null && this.credit.unused > 0) {
      await this.charger.refundDownload(this.credit.unused, this.period);
    }
  }
}
