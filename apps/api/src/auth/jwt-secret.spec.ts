import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { loadConfig } from '@wharf/config';

import { resolveJwtSecret } from './jwt-secret';

describe('resolveJwtSecret', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-jwt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses WHARF_JWT_SECRET when set, writing nothing', async () => {
    const secret = 's'.repeat(40);
    const config = loadConfig({ WHARF_JWT_SECRET: secret, WHARF_DATA_DIR: dir }, dir);
    expect(await resolveJwtSecret(config)).toBe(secret);
    await expect(stat(path.join(dir, 'jwt-secret'))).rejects.toThrow();
  });

  it('in development generates one secret under the data dir (0600) and reuses it', async () => {
    const config = loadConfig({ WHARF_DATA_DIR: path.join(dir, 'data') }, dir);
    const first = await resolveJwtSecret(config);
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, 'data', 'jwt-secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first);
    expect(await resolveJwtSecret(config)).toBe(first);
  });
});
