import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

import { FtpError, FtpErrorCode } from '../errors';

/** Quota is asked for in steps of at least this much, so the policy is not called per chunk. */
export const RESERVE_STEP_BYTES = 4 * 1024 * 1024;

export interface UploadMeterHooks {
  reserve?: (bytes: number) => Promise<boolean>;
  onBytes?: (total: number) => void;
}

/**
 * Pass-through that counts bytes, hashes them (SHA-256 for the audit event)
 * and reserves quota ahead of the bytes it lets through. Chunks are passed on
 * untouched: no copy.
 */
export class UploadMeter extends Transform {
  bytes = 0;
  reserved = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(private readonly hooks: UploadMeterHooks) {
    super();
  }

  digest(): string {
    return this.hash.digest('hex');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    const next = this.bytes + chunk.length;
    const reserve = this.hooks.reserve;
    if (reserve === undefined || next <= this.reserved) {
      this.accept(chunk, next);
      callback(null, chunk);
      return;
    }
    const want = Math.max(RESERVE_STEP_BYTES, next - this.reserved);
    reserve(want).then(
      (ok) => {
        if (!ok) {
          callback(new FtpError(FtpErrorCode.QUOTA_EXCEEDED, 'Quota exceeded.'));
          return;
        }
        this.reserved += want;
        this.accept(chunk, next);
        callback(null, chunk);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  private accept(chunk: Buffer, next: number): void {
    this.bytes = next;
    this.hash.update(chunk);
    this.hooks.onBytes?.(next);
  }
}
