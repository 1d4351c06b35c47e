import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { LocalFileSystem } from './local-file-system';
import { removeStaleUploads } from './stale-uploads';

describe('removeStaleUploads', () => {
  let sandbox: string;
  let root: string;

  beforeEach(async () => {
    sandbox = await mkdtemp(path.join(os.tmpdir(), 'wharf-stale-'));
    root = path.join(sandbox, 'storage');
    await mkdir(path.join(root, 'alice', 'deep'), { recursive: true });
  });

  afterEach(async () => {
    await rm(sandbox, { recursive: true, force: true });
  });

  it('removes old temporaries, keeps young ones, real files and anything behind a symlink', async () => {
    const old = new Date(Date.now() - 2 * 3600_000);
    const stale = path.join(root, 'alice', 'deep', '.wharf-upload-1.part');
    const young = path.join(root, 'alice', '.wharf-upload-2.part');
    await writeFile(stale, 'partial');
    await utimes(stale, old, old);
    await writeFile(young, 'in progress');
    await writeFile(path.join(root, 'alice', 'real.txt'), 'keep');
    await utimes(path.join(root, 'alice', 'real.txt'), old, old);
    const elsewhere = path.join(sandbox, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(path.join(elsewhere, '.wharf-upload-3.part'), 'not ours');
    await utimes(path.join(elsewhere, '.wharf-upload-3.part'), old, old);
    await symlink(elsewhere, path.join(root, 'alice', 'link'));

    expect(await removeStaleUploads(root, 3600_000)).toBe(1);
    expect(await readdir(path.join(root, 'alice', 'deep'))).toEqual([]);
    expect((await readdir(path.join(root, 'alice'))).sort()).toEqual(
      ['.wharf-upload-2.part', 'deep', 'link', 'real.txt'].sort(),
    );
    expect(await readdir(elsewhere)).toEqual(['.wharf-upload-3.part']);
  });

  it('lets rmdir succeed once a crashed upload is swept', async () => {
    const fs = new LocalFileSystem(path.join(root, 'alice'));
    const upload = await fs.write('/deep/file.bin');
    await new Promise<void>((resolve) => upload.stream.write('half', () => resolve()));
    // Simulate a crash: the handle is never committed nor aborted.
    const [temp] = await readdir(path.join(root, 'alice', 'deep'));
    const old = new Date(Date.now() - 2 * 3600_000);
    await utimes(path.join(root, 'alice', 'deep', temp!), old, old);
    await expect(fs.rmdir('/deep')).rejects.toMatchObject({ code: 'NOT_EMPTY' });
    expect(await removeStaleUploads(root, 3600_000)).toBe(1);
    await fs.rmdir('/deep');
    await upload.abort();
  });
});
