import { Transform, type TransformCallback } from 'node:stream';

/**
 * Per-session bandwidth limit: a token bucket refilled at `bytesPerSecond`
 * with a one-second burst. Only inserted in the pipeline when a limit is set,
 * so unlimited transfers have no timer at all.
 */
export class Throttle extends Transform {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly bytesPerSecond: number) {
    super();
    this.tokens = bytesPerSecond;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    const now = performance.now();
    this.tokens = Math.min(
      this.bytesPerSecond,
      this.tokens + ((now - this.last) * this.bytesPerSecond) / 1000,
    );
    this.last = now;
    this.tokens -= chunk.length;
    if (this.tokens >= 0) {
      callback(null, chunk);
      return;
    }
    const waitMs = (-this.tokens * 1000) / this.bytesPerSecond;
    setTimeout(() => callback(null, chunk), waitMs);
  }
}
