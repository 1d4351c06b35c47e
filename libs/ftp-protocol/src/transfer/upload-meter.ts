import { type Readable, Transform, type TransformCallback } from 'node:stream';

import { FtpError, FtpErrorCode } from '../errors';
import { StepCredit } from './step-credit';
import { UploadHash } from './upload-hash';

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
 * Pass-through that counts bytes, hashes them (SHA-256 for the audit event,
 * large uploads in a thread: UploadHash) and reserves quota ahead of the
 * bytes it lets through, in growing steps, the next one asked for while the
 * current one is used (StepCredit). Chunks are passed on untouched: no copy.
 * It holds a chunk back while the hash thread lags too far behind. Call
 * settle() before reading `reserved` to give back the rest: a step may still
 * be in flight; dispose() when the upload failed.
 */
export class UploadMeter extends Transform {
  bytes = 0;
  private readonly hash: UploadHash | null;
  private readonly credit: StepCredit | null;

  constructor(private readonly hooks: UploadMeterHooks) {
    super();
    this.hash = hooks.sha256 === false ? null : new UploadHash();
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
  async digest(): Promise<string | null> {
    return this.hash ? this.hash.digest() : null;
  }

  /** Lets go of the hash of a failed upload. */
  dispose(): void {
    this.hash?.dispose();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    const next = this.bytes + chunk.length;
    const credit = this.credit;
    if (credit === null || credit.take(chunk.length)) {
      this.accept(chunk, next);
      this.pass(chunk, callback);
      return;
    }
    credit.takeAsync(chunk.length).then(
      (ok) => {
        if (!ok) {
          callback(new FtpError(FtpErrorCode.QUOTA_EXCEEDED, 'Quota exceeded.'));
          return;
        }
        this.accept(chunk, next);
        this.pass(chunk, callback);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  /**
   * Counts and hashes what `source` emits without being in the pipeline (no
   * quota reservations: they need the Transform). While the hash thread lags
   * too far behind, `source` is paused; a pipe() that resumes it early only
   * lets one more chunk through before the next pause. Returns the unwatch.
   */
  watch(source: Readable): () => void {
    const onData = (chunk: Buffer): void => {
      this.accept(chunk, this.bytes + chunk.length);
      const wait = this.hash?.backpressure();
      if (!wait) return;
      source.pause();
      void wait.then(() => {
        if (!source.destroyed) source.resume();
      });
    };
    source.on('data', onData);
    return () => source.removeListener('data', onData);
  }

  /** Passes the chunk on, once the hash thread has caught up if it lags too far behind. */
  private pass(chunk: Buffer, callback: TransformCallback): void {
    const wait = this.hash?.backpressure();
    if (!wait) {
      callback(null, chunk);
      return;
    }
    // Never rejects: a failed thread lets the upload go on (digest() reports it).
    void wait.then(() => callback(null, chunk));
  }

  private accept(chunk: Buffer, next: number): void {
    this.bytes = next;
    this.hash?.update(chunk);
    this.hooks.onBytes?.(next);
  }
}
