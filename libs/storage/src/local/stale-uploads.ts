import { lstat, opendir, unlink } from 'node:fs/promises';
import * as path from 'node:path';

import { UPLOAD_TEMP_PREFIX, UPLOAD_TEMP_SUFFIX } from './virtual-path';

/**
 * Removes upload temporaries (`.wharf-upload-*.part`) older than `olderThanMs`
 * under `root`: what a worker killed mid-upload leaves behind. They are never
 * visible to clients but use disk space and keep `rmdir` from succeeding.
 * Walks with opendir (streamed), never follows symlinks, and leaves younger
 * files alone because another worker may still be writing them. Returns how
 * many files were removed.
 */
export async function removeStaleUploads(
  root: string,
  olderThanMs: number,
  now: Date = new Date(),
): Promise<number> {
  const cutoff = now.getTime() - olderThanMs;
  let removed = 0;
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      continue; // removed meanwhile or unreadable: nothing to sweep there
    }
    for await (const entry of handle) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        pending.push(full);
      } else if (
        entry.isFile() &&
        entry.name.startsWith(UPLOAD_TEMP_PREFIX) &&
        entry.name.endsWith(UPLOAD_TEMP_SUFFIX)
      ) {
        try {
          if ((await lstat(full)).mtimeMs < cutoff) {
            await unlink(full);
            removed++;
          }
        } catch {
          // Committed or aborted while we looked: not ours to report.
        }
      }
    }
  }
  return removed;
}
