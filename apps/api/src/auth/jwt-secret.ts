import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

import type { WharfConfig } from '@wharf/config';

/**
 * config.jwt.secret when set (required in production by the config schema);
 * otherwise a random secret generated once and kept in `<dataDir>/jwt-secret`
 * (mode 0600), so tokens survive restarts of a development install.
 */
export async function resolveJwtSecret(config: WharfConfig): Promise<string> {
  if (config.jwt.secret) return config.jwt.secret;
  if (config.env === 'production') throw new Error('WHARF_JWT_SECRET is required in production');
  const file = path.join(config.dataDir, 'jwt-secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    // 'wx': a concurrent first start keeps whichever secret was written first.
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  }
}
