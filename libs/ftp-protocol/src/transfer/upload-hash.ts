import { createHash } from 'node:crypto';

import { openRemoteSha256, type RemoteSha256 } from './sha256-threads';

/** Chunks are held until this much arrived, then copied into one buffer for the thread. */
export const HASH_BATCH_BYTES = 1024 * 1024;
/** Bytes an upload may hand the thread ahead of its hashing before it is held back. */
export const HASH_MAX_LAG_BYTES = 8 * 1024 * 1024;

/**
 * The SHA-256 of an upload for its audit event. SHA-256 costs ~0.6 s of CPU
 * per GiB; on the event loop that is a quarter of a plain upload's time and
 * delays every other session. So the chunks are held (by reference, no copy)
 * until HASH_BATCH_BYTES arrived: a smaller upload is hashed here at the end,
 * with no thread round trip; a larger one is copied in batches into a hash
 * thread. backpressure() tells the caller to wait while the thread lags more
 * than HASH_MAX_LAG_BYTES behind, so the copies in flight stay bounded.
 *
 * The held chunks must not change after update(): the data connection's
 * chunks never do (each read is a new buffer).
 */
export class UploadHash {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private remote: RemoteSha256 | null = null;

  update(chunk: Buffer): void {
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes >= HASH_BATCH_BYTES) this.handOver();
  }

  /** Null while the thread keeps up; otherwise a promise that resolves once it caught up. */
  backpressure(): Promise<void> | null {
    const remote = this.remote;
    if (remote === null || remote.pending <= HASH_MAX_LAG_BYTES) return null;
    return remote.whenPendingAtMost(HASH_MAX_LAG_BYTES / 2);
  }

  /** Hex SHA-256 of every byte passed to update(). */
  async digest(): Promise<string> {
    if (this.remote === null) {
      const hash = createHash('sha256');
      for (const chunk of this.held) hash.update(chunk);
      this.release();
      return hash.digest('hex');
    }
    this.handOver();
    return this.remote.digest();
  }

  /** Drops what is held and the thread's state (aborted upload). */
  dispose(): void {
    this.release();
    this.remote?.drop();
  }

  private handOver(): void {
    if (this.heldBytes === 0) return;
    // One buffer of its own (never a slice of the shared pool), so it can be transferred.
    const batch = Buffer.allocUnsafeSlow(this.heldBytes);
    let offset = 0;
    for (const chunk of this.held) offset += chunk.copy(batch, offset);
    this.release();
    this.remote ??= openRemoteSha256();
    this.remote.update(batch);
  }

  private release(): void {
    this.held = [];
    this.heldBytes = 0;
  }
}
