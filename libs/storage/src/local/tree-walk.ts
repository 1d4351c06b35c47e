import { EvalThread } from '@wharf/ftp-protocol';

import { UPLOAD_TEMP_PREFIX, UPLOAD_TEMP_SUFFIX } from './virtual-path';

export interface HomeUsage {
  bytes: number;
  files: number;
}

type WalkRequest =
  | { kind: 'usage'; root: string; homes: string[]; skipPrefix: string }
  | { kind: 'sweep'; root: string; cutoffMs: number; prefix: string; suffix: string };

/**
 * Whole-tree walks of the maintenance jobs (quota reconcile, stale-upload
 * sweep), with synchronous fs calls in a thread of their own: the storage of
 * every user is walked every few minutes, and on libuv's thread pool each
 * readdir and lstat would be a callback on the event loop that serves the FTP
 * sessions, and would queue the sessions' own stat/open behind the scan.
 * Separate from the listing thread (stat-worker.ts), so a long scan never
 * delays a LIST. One directory handle open at a time (a stack of paths);
 * symlinks are neither followed nor counted.
 */
const walker = new EvalThread<WalkRequest, unknown>(`
const fs = require('node:fs');
const path = require('node:path');

/** Calls onFile(full, name) for every regular file under dir. */
function walk(dir, onFile, tolerant) {
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop();
    let handle;
    try {
      handle = fs.opendirSync(current, { bufferSize: 256 });
    } catch (e) {
      // Removed by a client while we walked: nothing left there.
      if (tolerant || e.code === 'ENOENT' || e.code === 'ENOTDIR') continue;
      throw e;
    }
    try {
      let entry;
      while ((entry = handle.readSync()) !== null) {
        const full = current + '/' + entry.name;
        if (entry.isDirectory()) pending.push(full);
        else if (entry.isFile()) onFile(full, entry.name);
      }
    } finally {
      handle.closeSync();
    }
  }
}

function realOrNull(p) {
  try {
    return fs.realpathSync(p);
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}

function usage({ root, homes, skipPrefix }) {
  // A missing root (an unmounted volume) skips everyone rather than zeroing them.
  const realRoot = realOrNull(root);
  return homes.map((homeDir) => {
    if (realRoot === null) return null;
    const home = realOrNull(path.join(realRoot, homeDir));
    if (home === null || (home !== realRoot && !home.startsWith(realRoot + path.sep))) return null;
    if (!fs.statSync(home).isDirectory()) return null;
    let bytes = 0;
    let files = 0;
    walk(home, (full, name) => {
      if (name.startsWith(skipPrefix)) return;
      const info = fs.lstatSync(full, { throwIfNoEntry: false });
      if (info === undefined) return;
      bytes += info.size;
      files += 1;
    }, false);
    return [bytes, files];
  });
}

function sweep({ root, cutoffMs, prefix, suffix }) {
  let removed = 0;
  walk(root, (full, name) => {
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) return;
    try {
      const info = fs.lstatSync(full, { throwIfNoEntry: false });
      if (info !== undefined && info.mtimeMs < cutoffMs) {
        fs.unlinkSync(full);
        removed++;
      }
    } catch {
      // Committed or aborted while we looked: not ours to report.
    }
  }, true);
  return removed;
}

function handle(request) {
  return request.kind === 'usage' ? usage(request) : sweep(request);
}`);

/**
 * What is stored under each of `homeDirs` (relative to `storageRoot`):
 * bytes and count of regular files, upload temporaries not counted (their
 * reservations hold them while the upload runs; removeStaleUploads sweeps the
 * ones a dead worker left). null where the home does not exist (never logged
 * in, or not ours to judge: outside the root, not a directory, or the root
 * is not mounted),
 * so the caller leaves that user's counters alone.
 */
export async function scanHomes(
  storageRoot: string,
  homeDirs: string[],
): Promise<(HomeUsage | null)[]> {
  if (homeDirs.length === 0) return [];
  const found = (await walker.request({
    kind: 'usage',
    root: storageRoot,
    homes: homeDirs,
    skipPrefix: UPLOAD_TEMP_PREFIX,
  })) as ([number, number] | null)[];
  return found.map((entry) => (entry ? { bytes: entry[0], files: entry[1] } : null));
}

/**
 * Removes upload temporaries (`.wharf-upload-*.part`) older than `olderThanMs`
 * under `root`: what a worker killed mid-upload leaves behind. They are never
 * visible to clients but use disk space and keep `rmdir` from succeeding.
 * Never follows symlinks, skips unreadable directories, and leaves younger
 * files alone because another worker may still be writing them. Returns how
 * many files were removed.
 */
export async function removeStaleUploads(
  root: string,
  olderThanMs: number,
  now: Date = new Date(),
): Promise<number> {
  return (await walker.request({
    kind: 'sweep',
    root,
    cutoffMs: now.getTime() - olderThanMs,
    prefix: UPLOAD_TEMP_PREFIX,
    suffix: UPLOAD_TEMP_SUFFIX,
  })) as number;
}
