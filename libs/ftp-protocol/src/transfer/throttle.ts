import { Transform, type TransformCallback } from 'node:stream';

/**
 * A token bucket refilled at `bytesPerSecond` with a one-second burst. One
 * per transfer for the user's limit, one per listener for the server-wide
 * limit (shared by all its sessions).
 */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(readonly bytesPerSecond: number) {
    this.tokens = bytesPerSecond;
  }

  /** Takes `bytes`; returns how long to wait (ms) before they may pass. */
  take(bytes: number): number {
    const now = performance.now();
    this.tokens = Math.min(
      this.bytesPerSecond,
      this.tokens + ((now - this.last) * this.bytesPerSecond) / 1000,
    );
    this.last = now;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.bytesPerSecond;
  }
}

/**
 * Holds each chunk until every bucket allows it. Only inserted in the
 * pipeline when a limit is set, so unlimited transfers have no timer at all.
 */
export class Throttle extends Transform {
  constructor(private readonly buckets: readonly TokenBucket[]) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    let waitMs = 0;
    for (const bucket of this.buckets) waitMs = Math.max(waitMs, bucket.take(chunk.length));
    if (waitMs === 0) {
      callback(null, chunk);
      return;
    }
    setTimeout(() => callback(null, chunk), waitMs);
  }
}

/** The buckets that apply to one transfer, or null when nothing limits it. */
export function throttleFor(
  userLimit: number | undefined,
  serverBucket: TokenBucket | null,
): Throttle | null {
  const buckets: TokenBucket[] = [];
  if (userLimit) buckets.push(new TokenBucket(userLimit));
  if (serverBucket) buckets.push(serverBucket);
  return buckets.length > 0 ? new Throttle(buckets) : null;
}
