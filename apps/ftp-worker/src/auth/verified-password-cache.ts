import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

interface Entry {
  storedHash: string;
  digest: Buffer;
  expiresAt: number;
}

/**
 * Remembers that a password was verified against a stored argon2id hash, so a
 * client that logs in many times (one session per transfer) is not re-hashed
 * each time. An entry is used only while the stored hash is unchanged: a new
 * password (or any new hash) misses. The password itself is never kept, only
 * an HMAC under a per-process random key. This skips the hashing, never the
 * database: the user row is always read first (principle 4).
 */
export class VerifiedPasswordCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  has(userId: string, storedHash: string, password: string): boolean {
    const entry = this.entries.get(userId);
    if (!entry) return false;
    if (entry.expiresAt <= this.now() || entry.storedHash !== storedHash) {
      this.entries.delete(userId);
      return false;
    }
    return timingSafeEqual(entry.digest, this.digest(userId, storedHash, password));
  }

  remember(userId: string, storedHash: string, password: string): void {
    this.entries.delete(userId);
    if (this.entries.size >= this.maxEntries) {
      // Map keeps insertion order: the oldest entry goes first.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(userId, {
      storedHash,
      digest: this.digest(userId, storedHash, password),
      expiresAt: this.now() + this.ttlMs,
    });
  }

  forget(userId: string): void {
    this.entries.delete(userId);
  }

  get size(): number {
    return this.entries.size;
  }

  private digest(userId: string, storedHash: string, password: string): Buffer {
    return createHmac('sha256', this.key)
      .update(userId)
      .update('\0')
      .update(storedHash)
      .update('\0')
      .update(password)
      .digest();
  }
}
