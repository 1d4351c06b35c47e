import { type Dir, type Dirent, lstat, type Stats } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';

import type { FileStat } from '@wharf/ftp-protocol';

import { toFileSystemError } from './fs-error.mapper';
import type { LocalJail } from './local-jail';
import { isVisibleName } from './virtual-path';

/**
 * lstat() calls kept in flight while listing. Memory stays bounded by this
 * window (plus the directory read buffer) whatever the directory's size; the
 * window keeps libuv's thread pool busy instead of waiting for a whole batch.
 */
export const LIST_WINDOW = 128;
/** Directory entries read per getdents() call. */
const DIR_BUFFER = 512;

/** One entry between readdir and the consumer; `stats` is null when it is not listed. */
interface Slot {
  name: string;
  stats: Stats | null | undefined;
}

/**
 * Streams the entries of a directory (`directory` checks it and gives its real
 * path, on the first read) in readdir order with up to `window` lstat() calls in flight (callback API: half the CPU of fs/promises per call). Only
 * regular files and directories are listed; a symlink counts when its target
 * is one and stays inside the jail; an entry that vanishes between readdir and
 * lstat is skipped.
 */
export async function* listDirectory(
  directory: () => Promise<string>,
  virtualPath: string,
  jail: LocalJail,
  window = LIST_WINDOW,
): AsyncGenerator<FileStat> {
  const dirReal = await directory();
  let dir: Dir;
  try {
    dir = await opendir(dirReal, { bufferSize: DIR_BUFFER });
  } catch (error) {
    throw toFileSystemError(error, virtualPath);
  }
  const prefix = dirReal.endsWith('/') ? dirReal : `${dirReal}/`;
  // A ring of `window` slots in readdir order: [head, head + pending).
  const ring: Slot[] = [];
  let head = 0;
  let pending = 0;
  let exhausted = false;
  let waitingFor: Slot | null = null;
  let wake: (() => void) | null = null;

  const settle = (slot: Slot, stats: Stats | null): void => {
    slot.stats = stats;
    if (slot === waitingFor) {
      waitingFor = null;
      wake!();
    }
  };
  const start = (entry: Dirent): void => {
    const slot: Slot = { name: entry.name, stats: undefined };
    ring[(head + pending) % window] = slot;
    pending++;
    // d_type says it is neither a file, a directory nor a link: no lstat needed.
    if (!entry.isFile() && !entry.isDirectory() && !entry.isSymbolicLink() && knownType(entry)) {
      slot.stats = null;
      return;
    }
    lstat(prefix + entry.name, (error, info) => {
      if (error) settle(slot, null);
      else if (info.isSymbolicLink())
        void followLink(prefix + entry.name, jail).then((s) => settle(slot, s));
      else settle(slot, info);
    });
  };

  try {
    for (;;) {
      while (!exhausted && pending < window) {
        const entry = await dir.read();
        if (entry === null) exhausted = true;
        else if (isVisibleName(entry.name)) start(entry);
      }
      if (pending === 0) return;
      const slot = ring[head]!;
      if (slot.stats === undefined) {
        await new Promise<void>((resolve) => {
          waitingFor = slot;
          wake = resolve;
        });
      }
      head = (head + 1) % window;
      pending--;
      const info = slot.stats;
      if (info && (info.isFile() || info.isDirectory())) yield toFileStat(slot.name, info);
    }
  } finally {
    await dir.close().catch(() => undefined);
  }
}

/** A symlink counts only when its target stays in the jail; listed with the target's facts. */
async function followLink(real: string, jail: LocalJail): Promise<Stats | null> {
  try {
    const resolved = await realpath(real);
    if (!(await jail.isInside(resolved))) return null;
    return await stat(resolved);
  } catch {
    // Vanished between readdir and stat, or a dangling link: not listed.
    return null;
  }
}

/** False for DT_UNKNOWN (some file systems never fill d_type): lstat decides then. */
function knownType(entry: Dirent): boolean {
  return entry.isBlockDevice() || entry.isCharacterDevice() || entry.isFIFO() || entry.isSocket();
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
