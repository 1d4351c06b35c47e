import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

import { FtpError, FtpErrorCode } from '../errors';
import { StepCredit } from './step-credit';

/** Quota is asked for in steps of at least this much, so the policy is not called per chunk. */
export const RESERVE_STEP_BYTES = 4 * 1024 * 1024;
/** Steps double up to this size on a long upload (see StepCredit). */
export const RESERVE_MAX_STEP_BYTES = 64 * 1024 * 1024;

export interface UploadMeterHooks {
  reserve?: (bytes: number) => Promise<boolean>;
  onBytes?: (total: number) => void;
  /** SHA-256 of the bytes for the upload event; off when nobody reads it. Default true. */
  sha256?: boolean;
}

/**
 * Pass-through that counts bytes, hashes them (SHA-256 for the audit event)
 * and reserves quota ahead of the bytes it lets through, in growing steps,
 * the next one asked for while the current one is used (StepCredit). Chunks
 * are passed on untouched: no copy. Call settle() before reading `reserved`
 * to give back the rest: a step may still be in flight.
 */
export class UploadMeter extends Transform {
  bytes = 0;
  private readonly hash: Hash | null;
  private readonly credit: StepCredit | null;

  constructor(private readonly hooks: UploadMeterHooks) {
    super();
    this.hash = hooks.sha256 === false ? null : createHash('sha256');
    const reserve = hooks.reserve;
    this.credit = reserve
      ? new StepCredit({
          ask: reserve,
          firstStep: RESERVE_STEP_BYTES,
          maxStep: RESERVE_MAX_STEP_BYTES,
        })
      : null;
  }

  /** Bytes reserved so far (final after settle()). */
  get reserved(): number {
    return this.credit?.granted ?? 0;
  }

  /** Waits for a reservation in flight and stops reserving ahead. */
  async settle(): Promise<void> {
    await this.credit?.settle();
  }

  /** Hex SHA-256 of the bytes seen, or null when hashing was off. */
  digest(): string | null {
    return this.hash ? this.hash.digest('hex') : null;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    const next = this.bytes + chunk.length;
    const credit = this.credit;
    if (credit === null || credit.take(chunk.length)) {
      this.accept(chunk, next);
      callback(null, chunk);
      return;
    }
    credit.takeAsync(chunk.length).then(
      (ok) => {
        if (!ok) {
          callback(new FtpError(FtpErrorCode.QUOTA_EXCEEDED, 'Quota exceeded.'));
          return;
        }
        this.accept(chunk, next);
        callback(null, chunk);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  /** For use as a 'data' listener when the meter is not itself in the pipeline. */
  readonly observe = (chunk: Buffer): void => this.accept(chunk, this.bytes + chunk.length);

  private accept(chunk: Buffer, next: number): void {
    this.bytes = next;
    this.hash?.update(chunk);
    this.hooks.onBytes?.(next);
  }
}
