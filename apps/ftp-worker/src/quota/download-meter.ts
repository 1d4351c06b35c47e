import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';

import { type FileReader, FtpError, FtpErrorCode, Reply, StepCredit } from '@wharf/ftp-protocol';

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
 * download does not stand still for the database; the unsent rest is
 * refunded by settle(). When the quota runs out in the middle, take()
 * rejects with 451 (RFC 959 lists 451, not 550, after a 150 for RETR); a
 * download refused before it starts gets 550 (QuotaFileSystem).
 *
 * Without a download quota nothing can be refused, so nothing is charged
 * ahead: the bytes sent are counted and charged once, by settle().
 * Waiting on the database every step stalled the stream (half the worker's
 * download profile was idle) for a user no quota limits.
 */
export class DownloadCharge {
  private sent = 0;
  private period: Date | null = null;
  private settled: Promise<void> | null = null;
  private readonly credit: StepCredit;

  /** @param limited false when the user has no download quota: one charge at the end. */
  constructor(
    private readonly charger: DownloadCharger,
    private readonly limited = true,
  ) {
    this.credit = new StepCredit({
      ask: (bytes) => this.charge(bytes),
      firstStep: DOWNLOAD_CHARGE_STEP_BYTES,
      maxStep: DOWNLOAD_CHARGE_MAX_STEP_BYTES,
    });
  }

  /** Counts `bytes` about to be sent: true at once when covered, else takeAsync() decides. */
  take(bytes: number): boolean {
    if (this.limited && !this.credit.take(bytes)) return false;
    this.sent += bytes;
    return true;
  }

  /** Waits for the charge of `bytes`; rejects with 451 when the quota refuses it. */
  async takeAsync(bytes: number): Promise<void> {
    if (!(await this.credit.takeAsync(bytes))) {
      throw new FtpError(
        FtpErrorCode.QUOTA_EXCEEDED,
        'Transfer aborted: download quota exceeded for this period.',
        { reply: Reply.LOCAL_ERROR },
      );
    }
    this.sent += bytes;
  }

  /** Charges what was sent (no quota) or gives back what was charged and not sent; once. */
  settle(): Promise<void> {
    return (this.settled ??= this.settleOnce());
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

  private async settleOnce(): Promise<void> {
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

/** A download stream through a DownloadCharge (the engine's streamed path: ASCII, throttled). */
export class DownloadMeter extends Transform {
  private readonly charge: DownloadCharge;

  constructor(charger: DownloadCharger, limited = true) {
    super();
    this.charge = new DownloadCharge(charger, limited);
  }

  /** @param limited false when the user has no download quota: one charge at the end. */
  static wrap(source: Readable, charger: DownloadCharger, limited = true): Readable {
    const meter = new DownloadMeter(charger, limited);
    // pipeline destroys the source when the meter is destroyed (ABOR, client gone) and vice versa.
    pipeline(source, meter, () => undefined);
    return meter;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (this.charge.take(chunk.length)) {
      callback(null, chunk);
      return;
    }
    this.charge.takeAsync(chunk.length).then(
      () => callback(null, chunk),
      (error: unknown) => callback(error as Error),
    );
  }

  override _flush(callback: TransformCallback): void {
    this.charge.settle().then(
      () => callback(),
      (error: unknown) => callback(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.charge.settle().then(
      () => callback(error),
      () => callback(error),
    );
  }
}

/** A FileReader through a DownloadCharge (the engine's pumped path); settles on close. */
export function meteredReader(
  inner: FileReader,
  charger: DownloadCharger,
  limited = true,
): FileReader {
  const charge = new DownloadCharge(charger, limited);
  let closed: Promise<void> | null = null;
  return {
    size: inner.size,
    async read(buffer, position) {
      const n = await inner.read(buffer, position);
      if (n > 0 && !charge.take(n)) await charge.takeAsync(n);
      return n;
    },
    close: () => (closed ??= charge.settle().finally(() => inner.close())),
  };
}
