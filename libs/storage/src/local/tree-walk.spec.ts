import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { LocalFileSystem } from './local-file-system';
import { removeStaleUploads, scanHomes } from './tree-walk';

describe('maintenance tree walks (worker thread)', () => {
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

  it('scanHomes counts regular files below each home, not temporaries, symlinks or what is outside', async () => {
    const home = path.join(root, 'alice');
    await writeFile(path.join(home, 'a.bin'), Buffer.alloc(1000));
    await mkdir(path.join(home, 'deep', 'er'), { recursive: true });
    await writeFile(path.join(home, 'deep', 'b.bin'), Buffer.alloc(200));
    await writeFile(path.join(home, 'deep', 'er', 'c.bin'), Buffer.alloc(30));
    await writeFile(path.join(home, 'deep', '.wharf-upload-9.part'), Buffer.alloc(5000));
    await writeFile(path.join(home, '.hidden'), Buffer.alloc(4));
    await writeFile(path.join(sandbox, 'outside.bin'), Buffer.alloc(777));
    await symlink(path.join(sandbox, 'outside.bin'), path.join(home, 'link.bin'));
    await symlink(sandbox, path.join(root, 'escape'));
    await mkdir(path.join(root, 'empty'));

    expect(
      await scanHomes(root, ['alice', 'missing', 'empty', 'escape', '../outside.bin']),
    ).toEqual([{ bytes: 1234, files: 4 }, null, { bytes: 0, files: 0 }, null, null]);
    // An unmounted volume: everyone is left alone, nobody is zeroed.
    expect(await scanHomes(path.join(sandbox, 'not-mounted'), ['alice'])).toEqual([null]);
    expect(await scanHomes(root, [])).toEqual([]);
  });

  it('scanHomes leaves a home that is not a directory alone, and rejects with the code of a real error', async () => {
    await writeFile(path.join(root, 'file-home'), 'x');
    expect(await scanHomes(root, ['file-home'])).toEqual([null]);
    await symlink(path.join(root, 'loop-b'), path.join(root, 'loop-a'));
    await symlink(path.join(root, 'loop-a'), path.join(root, 'loop-b'));
    await expect(scanHomes(root, ['alice', 'loop-a'])).rejects.toMatchObject({ code: 'ELOOP' });
    // The thread survives a failed request.
    expect(await scanHomes(root, ['alice'])).toEqual([{ bytes: 0, files: 0 }]);
  });
});
