import { lstat, opendir, realpath } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Hidden names of uploads in progress, written by the local FileSystem
 * (libs/storage/src/local/virtual-path.ts UPLOAD_TEMP_PREFIX). They are held
 * by reservations while the upload runs, so a scan must not count them.
 */
export const UPLOAD_TEMP_PREFIX = '.wharf-upload-';

export interface HomeUsage {
  bytes: number;
  files: number;
}

/**
 * Walks one home with async fs, one directory handle open at a time (a stack
 * of paths, not of handles), counting regular files. Symlinks are neither
 * followed nor counted: their target is counted where it lives, if at all.
 * Returns null when the home does not exist (never logged in, or
 * not ours to judge): the caller leaves that user's counters alone.
 * Temporary upload files are skipped (removeStaleUploads of @wharf/storage
 * sweeps the ones a dead worker left).
 */
export async function scanHome(storageRoot: string, homeDir: string): Promise<HomeUsage | null> {
  const usage: HomeUsage = { bytes: 0, files: 0 };
  let root: string;
  let home: string;
  try {
    // A missing root (an unmounted volume) skips everyone rather than zeroing them.
    root = await realpath(storageRoot);
    home = await realpath(path.join(root, homeDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (home !== root && !home.startsWith(root + path.sep)) return null;
  const pending = [home];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let handle;
    try {
      handle = await opendir(dir);
    } catch (error) {
      // Removed by a client while we walked: nothing left to count there.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for await (const entry of handle) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        pending.push(full);
        continue;
      }
      if (!entry.isFile() || entry.name.startsWith(UPLOAD_TEMP_PREFIX)) continue;
      try {
        const info = await lstat(full);
        usage.bytes += info.size;
        usage.files += 1;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
  return usage;
}
