import { mkdir, mkdtemp, readdir, realpath, rm, stat, symlink } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { FileSystemError } from '@wharf/ftp-protocol';

import { createHomeDirectory } from './home-directory';

describe('createHomeDirectory', () => {
  let sandbox: string;
  let root: string;

  beforeEach(async () => {
    sandbox = await mkdtemp(path.join(os.tmpdir(), 'wharf-home-'));
    root = path.join(sandbox, 'storage');
  });

  afterEach(async () => {
    await rm(sandbox, { recursive: true, force: true });
  });

  it('creates the root and a nested home, and is idempotent', async () => {
    const home = await createHomeDirectory(root, 'customers/alice');
    expect(home).toBe(path.join(await realpath(root), 'customers', 'alice'));
    expect((await stat(home)).isDirectory()).toBe(true);
    expect(await createHomeDirectory(root, '/customers/alice')).toBe(home);
  });

  it.each(['../escape', 'a/../../escape', 'a//b', './a', 'a\\..\\b', '%2e%2e/x', 'a\0b'])(
    'refuses the home %j',
    async (relativeHome) => {
      await expect(createHomeDirectory(root, relativeHome)).rejects.toBeInstanceOf(FileSystemError);
      expect(await readdir(sandbox)).not.toContain('escape');
    },
  );

  it('refuses a home reached through a symlink that leaves the storage root', async () => {
    await mkdir(root, { recursive: true });
    await mkdir(path.join(sandbox, 'elsewhere'));
    await symlink(path.join(sandbox, 'elsewhere'), path.join(root, 'link'));
    await expect(createHomeDirectory(root, 'link/bob')).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    expect(await readdir(path.join(sandbox, 'elsewhere'))).toEqual([]);
  });
});
