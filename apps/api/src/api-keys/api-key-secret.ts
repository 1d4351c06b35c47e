import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'wharf_';

/** `wharf_<10 hex prefix>_<43 chars of 256-bit secret>`; only the SHA-256 is stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(5).toString('hex');
  const key = `${API_KEY_PREFIX}${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/**
 * SHA-256, not argon2: the key has 256 bits of entropy, so a fast hash is
 * enough and keeps per-request verification cheap.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}
