import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, opendir, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import type { FileStat } from '@wharf/ftp-protocol';

import { LocalJail } from './local-jail';
import { listDirectory } from './local-listing';
import { EntryKind, STAT_FIELDS, statInWorker, statOnThreadPool } from './stat-worker';

/** Names in the order the kernel returns them (what the listing must keep). */
async function readdirOrder(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of await opendir(dir)) names.push(entry.name);
  return names;
}

describe("listDirectory (batches stat'ed one ahead)", () => {
  let home: string;
  let jail: LocalJail;
  const at = (): Promise<string> => Promise.resolve(home);

  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'wharf-listing-'));
    jail = new LocalJail(home);
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  async function files(count: number): Promise<void> {
    for (let i = 0; i < count; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, count - i) }, (_, j) =>
          writeFile(path.join(home, `f-${i + j}`), 'x'.repeat((i + j) % 7)),
        ),
      );
    }
  }

  it('yields every entry once, in readdir order, with its own facts, for any batch size', async () => {
    await files(1500);
    await mkdir(path.join(home, 'sub'));
    const expected = await readdirOrder(home);
    for (const batch of [1, 3, 256, 4096]) {
      const seen: FileStat[] = [];
      for await (const entry of listDirectory(at, '/', jail, batch)) {
        seen.push(entry);
      }
      expect(seen.map((e) => e.name)).toEqual(expected);
      for (const entry of seen) {
        if (entry.name === 'sub') expect(entry).toMatchObject({ type: 'dir', size: 0 });
        else expect(entry).toMatchObject({ type: 'file', size: Number(entry.name.slice(2)) % 7 });
      }
    }
  });

  it('skips entries that vanish between readdir and lstat', async () => {
    await files(1000);
    const names: string[] = [];
    for await (const entry of listDirectory(at, '/', jail, 4)) {
      names.push(entry.name);
      // The directory buffer already holds hundreds of names: their lstat now fails.
      if (names.length === 1) {
        await Promise.all(
          (await readdirOrder(home))
            .filter((n) => n !== entry.name)
            .map((n) => rm(path.join(home, n))),
        );
      }
    }
    // The one yielded plus at most the batch stat'ed ahead; no error for the rest.
    expect(names.length).toBeGreaterThanOrEqual(1);
    expect(names.length).toBeLessThanOrEqual(8);
  });

  it('lists neither FIFOs nor dangling links, and links inside the jail with the target facts', async () => {
    await writeFile(path.join(home, 'target.txt'), 'abcd');
    execFileSync('mkfifo', [path.join(home, 'pipe')]);
    await symlink('target.txt', path.join(home, 'link'));
    await symlink('missing', path.join(home, 'dangling'));
    const seen: FileStat[] = [];
    for await (const entry of listDirectory(at, '/', jail, 2)) seen.push(entry);
    expect(seen.map((e) => e.name).sort()).toEqual(['link', 'target.txt']);
    const [link, target] = [...seen].sort((a, b) => a.name.localeCompare(b.name));
    expect(link).toMatchObject({ type: 'file', size: 4, uniqueId: target!.uniqueId });
  });

  it('gets the same facts from the stat worker as from the thread pool', async () => {
    await writeFile(path.join(home, 'file'), 'abc');
    await mkdir(path.join(home, 'dir'));
    execFileSync('mkfifo', [path.join(home, 'pipe')]);
    await symlink('file', path.join(home, 'link'));
    const names = ['file', 'dir', 'pipe', 'link', 'missing'];
    const prefix = `${home}/`;
    const inWorker = await statInWorker(prefix, names);
    expect(inWorker).toEqual(await statOnThreadPool(prefix, names));
    const kinds = names.map((_, i) => inWorker[i * STAT_FIELDS]);
    expect(kinds).toEqual([
      EntryKind.File,
      EntryKind.Directory,
      EntryKind.Other,
      EntryKind.Link,
      EntryKind.Missing,
    ]);
  });
});
