import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

import { FtpError, FtpErrorCode } from '../errors';

/** Quota is asked for in steps of at least this much, so the policy is not called per chunk. */
export const RESERVE_STEP_BYTES = 4 * 1024 * 1024;

export interface UploadMeterHooks {
  reserve?: (bytes: number) => Promise<boolean>;
  onBytes?: (total: number) => void;
  /** SHA-256 of the bytes for the upload event; off when nobody reads it. Default true. */
  sha256?: boolean;
}

/**
 * Pass-through that counts bytes, hashes them (SHA-256 for the audit event)
 * and reserves quota ahead of the bytes it lets through. Chunks are passed on
 * untouched: no copy.
 */
export class UploadMeter extends Transform {
  bytes = 0;
  reserved = 0;
  private readonly hash: Hash | null;

  constructor(private readonly hooks: UploadMeterHooks) {
    super();
    this.hash = hooks.sha256 === false ? null : createHash('sha256');
  }

  /** Hex SHA-256 of the bytes seen, or null when hashing was off. */
  digest(): string | null {
    return this.hash ? this.hash.digest('hex') : null;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    const next = this.bytes + chunk.length;
    const reserve = this.hooks.reserve;
    if (reserve === undefined || next <= this.reserved) {
      this.accept(chunk, next);
      callback(null, chunk);
      return;
    }
    reserveStep(reserve, next - this.reserved).then(
      (granted) => {
        if (granted === 0) {
          callback(new FtpError(FtpErrorCode.QUOTA_EXCEEDED, 'Quota exceeded.'));
          return;
        }
        this.reserved += granted;
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

/**
 * Asks for a whole step; when that is refused, for exactly what this chunk
 * needs, so the last bytes of a quota (less than one step) can still be used.
 * Returns the bytes granted, 0 when even the chunk does not fit.
 */
async function reserveStep(
  reserve: (bytes: number) => Promise<boolean>,
  needed: number,
): Promise<number> {
  const want = Math.max(RESERVE_STEP_BYTES, needed);
  if (await reserve(want)) return want;
  if (want > needed && (await reserve(needed))) return needed;
  return 0;
}
