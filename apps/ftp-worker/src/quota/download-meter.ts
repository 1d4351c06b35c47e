import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';

import { FtpError, FtpErrorCode, Reply } from '@wharf/ftp-protocol';

/** Download bytes are charged to the transfer quota ahead of sending, this much at a time. */
export const DOWNLOAD_CHARGE_STEP_BYTES = 1024 * 1024;

export interface DownloadCharger {
  /** Charges `bytes` to the download quota; the period charged, or null when refused. */
  chargeDownload(bytes: number): Promise<Date | null>;
  refundDownload(bytes: number, chargedPeriod: Date): Promise<void>;
}

/**
 * Counts a download against the transfer quota as the bytes leave the file:
 * charged ahead in steps (one UPDATE per step, not per chunk), the unsent rest
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
  private charged = 0;
  private sent = 0;
  private period: Date | null = null;
  private settled = false;

  constructor(
    private readonly charger: DownloadCharger,
    private readonly limited = true,
  ) {
    super();
  }

  /** @param limited false when the user has no download quota: one charge at the end. */
  static wrap(source: Readable, charger: DownloadCharger, limited = true): Readable {
    const meter = new DownloadMeter(charger, limited);
    // pipeline destroys the source when the meter is destroyed (ABOR, client gone) and vice versa.
    pipeline(source, meter, () => undefined);
    return meter;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    const next = this.sent + chunk.length;
    if (!this.limited || next <= this.charged) {
      this.sent = next;
      callback(null, chunk);
      return;
    }
    this.charge(next - this.charged).then(
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
        this.sent = next;
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

  /** A full step when it fits, else exactly what this chunk needs (the last bytes of a quota). */
  private async charge(needed: number): Promise<boolean> {
    const step = Math.max(DOWNLOAD_CHARGE_STEP_BYTES, needed);
    let period = await this.charger.chargeDownload(step);
    let granted = step;
    if (period === null && step > needed) {
      period = await this.charger.chargeDownload(needed);
      granted = needed;
    }
    if (period === null) return false;
    if (this.period !== null && this.period.getTime() !== period.getTime()) {
      // A new period began mid-download: what was charged before stays in the old one.
      this.charged = this.sent;
    }
    this.period = period;
    this.charged += granted;
    return true;
  }

  private async settle(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    if (!this.limited) {
      if (this.sent > 0) await this.charger.chargeDownload(this.sent);
      return;
    }
    if (this.period !== null && this.charged > this.sent) {
      await this.charger.refundDownload(this.charged - this.sent, this.period);
    }
  }
}
