import type { Dir, Stats } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';

import type { FileStat } from '@wharf/ftp-protocol';

import { toFileSystemError } from './fs-error.mapper';
import type { LocalJail } from './local-jail';
import {
  EntryKind,
  STAT_FIELDS,
  statInWorker,
  statOnThreadPool,
  warmStatWorker,
} from './stat-worker';
import { isVisibleName } from './virtual-path';

/**
 * Entries stat'ed per batch. Memory stays bounded by two batches (the one
 * being yielded and the next, stat'ed meanwhile) plus the directory read
 * buffer, whatever the directory's size.
 */
export const LIST_BATCH = 256;
/** Directory entries read per getdents() call. */
const DIR_BUFFER = 512;

const noop = (): void => undefined;

/**
 * Streams the entries of a directory (`directory` checks it and gives its
 * real path, on the first read) in readdir order. The first batch is stat'ed
 * on libuv's thread pool, the following ones in the shared stat worker
 * (stat-worker.ts), each while the one before it is yielded. Only regular files
 * and directories are listed; a symlink counts when its target is one and
 * stays inside the jail; an entry that vanishes between readdir and lstat is
 * skipped.
 */
export async function* listDirectory(
  directory: () => Promise<string>,
  virtualPath: string,
  jail: LocalJail,
  batchSize = LIST_BATCH,
): AsyncGenerator<FileStat> {
  const dirReal = await directory();
  let dir: Dir;
  try {
    dir = await opendir(dirReal, { bufferSize: DIR_BUFFER });
  } catch (error) {
    throw toFileSystemError(error, virtualPath);
  }
  const prefix = dirReal.endsWith('/') ? dirReal : `${dirReal}/`;
  try {
    let names = await readNames(dir, batchSize, virtualPath);
    // The first batch on the thread pool: no wait for the worker's start-up
    // before the first byte, and none at all for a directory smaller than a batch.
    let stats = statOnThreadPool(prefix, names);
    if (names.length === batchSize) warmStatWorker();
    while (names.length > 0) {
      const nextNames =
        names.length < batchSize ? [] : await readNames(dir, batchSize, virtualPath);
      const next = statBatch(prefix, nextNames); // stat'ed while this batch is yielded
      const facts = await stats;
      for (let i = 0; i < names.length; i++) {
        const kind = facts[i * STAT_FIELDS];
        if (kind === EntryKind.File || kind === EntryKind.Directory) {
          yield fromFacts(names[i]!, facts, i * STAT_FIELDS);
        } else if (kind === EntryKind.Link) {
          const info = await followLink(prefix + names[i]!, jail);
          if (info) yield toFileStat(names[i]!, info);
        }
      }
      names = nextNames;
      stats = next;
    }
  } finally {
    await dir.close().catch(noop);
  }
}

/** Up to `count` visible names, fewer only at the end of the directory. */
async function readNames(dir: Dir, count: number, virtualPath: string): Promise<string[]> {
  const names: string[] = [];
  try {
    while (names.length < count) {
      const entry = await dir.read();
      if (entry === null) break;
      if (isVisibleName(entry.name)) names.push(entry.name);
    }
  } catch (error) {
    throw toFileSystemError(error, virtualPath);
  }
  return names;
}

/** In the worker; on libuv's thread pool if the worker cannot run (so it never rejects). */
function statBatch(prefix: string, names: string[]): Promise<Float64Array> {
  if (names.length === 0) return Promise.resolve(new Float64Array(0));
  return statInWorker(prefix, names).catch(() => statOnThreadPool(prefix, names));
}

function fromFacts(name: string, facts: Float64Array, o: number): FileStat {
  const isDir = facts[o] === EntryKind.Directory;
  return {
    name,
    type: isDir ? 'dir' : 'file',
    size: isDir ? 0 : facts[o + 2]!,
    mtime: new Date(facts[o + 3]!),
    mode: facts[o + 1]! & 0o7777,
    uniqueId: `${facts[o + 5]!.toString(16)}:${facts[o + 4]!.toString(16)}`,
  };
}

/** A symlink counts only when its target stays in the jail; listed with the target's facts. */
async function followLink(real: string, jail: LocalJail): Promise<Stats | null> {
  try {
    const resolved = await realpath(real);
    if (!(await jail.isInside(resolved))) return null;
    const info = await stat(resolved);
    return info.isFile() || info.isDirectory() ? info : null;
  } catch {
    // Vanished between readdir and stat, or a dangling link: not listed.
    return null;
  }
}

export function toFileStat(name: string, info: Stats): FileStat {
  const isDir = info.isDirectory();
  return {
    name,
    type: isDir ? 'dir' : 'file',
    size: isDir ? 0 : info.size,
    mtime: info.mtime,
    mode: info.mode & 0o7777,
    uniqueId: `${info.dev.toString(16)}:${info.ino.toString(16)}`,
  };
}
