import { lstat, mkdir, realpath } from 'node:fs/promises';
import * as path from 'node:path';

import { FileSystemError } from '@wharf/ftp-protocol';

import { errnoOf, toFileSystemError } from './fs-error.mapper';
import { isInsideRoot } from './local-jail';
import { parseVirtualPath } from './virtual-path';

/**
 * Creates a user's home under the storage root, one segment at a time, and
 * returns its real path. `relativeHome` obeys the same rules as a virtual path
 * ("alice", "/customers/alice"); an existing symlink on the way is accepted
 * only when it stays under the root. Existing directories are kept as they are.
 */
export async function createHomeDirectory(root: string, relativeHome: string): Promise<string> {
  const segments = parseVirtualPath(
    relativeHome.startsWith('/') ? relativeHome : `/${relativeHome}`,
  );
  await mkdir(root, { recursive: true, mode: 0o750 });
  const rootReal = await realpath(root);
  let current = rootReal;
  for (const segment of segments) {
    const next = path.join(current, segment);
    try {
      await mkdir(next, 0o750);
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw toFileSystemError(error, relativeHome);
    }
    current = await realpath(next);
    if (!isInsideRoot(current, rootReal)) {
      throw new FileSystemError(
        'PERMISSION_DENIED',
        `home leaves the storage root: ${relativeHome}`,
      );
    }
    if (!(await lstat(current)).isDirectory()) {
      throw new FileSystemError('NOT_A_DIRECTORY', `not a directory: ${relativeHome}`);
    }
  }
  return current;
}
