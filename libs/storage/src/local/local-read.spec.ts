import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { LocalFileSystem } from './local-file-system';

const KiB = 1024;
const MiB = 1024 * KiB;

async function chunkSizes(fs: LocalFileSystem, file: string, offset?: number): Promise<number[]> {
  const sizes: number[] = [];
  for await (const chunk of await fs.read(file, offset)) sizes.push((chunk as Buffer).length);
  return sizes;
}

describe('LocalFileSystem.read chunk size', () => {
  let root: string;
  let fs: LocalFileSystem;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'wharf-read-'));
    fs = new LocalFileSystem(root);
    await writeFile(path.join(root, 'big.bin'), randomBytes(3 * MiB + 5));
    await writeFile(path.join(root, 'small.bin'), randomBytes(10 * KiB));
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reads a large file 1 MiB at a time (a quarter of the reads of 256 KiB chunks)', async () => {
    expect(await chunkSizes(fs, '/big.bin')).toEqual([MiB, MiB, MiB, 5]);
  });

  it('reads what is left after a REST offset, in chunks no larger than that', async () => {
    expect(await chunkSizes(fs, '/big.bin', 3 * MiB - 100 * KiB)).toEqual([100 * KiB + 5]);
  });

  it('reads a small file in one chunk', async () => {
    expect(await chunkSizes(fs, '/small.bin')).toEqual([10 * KiB]);
  });
});
