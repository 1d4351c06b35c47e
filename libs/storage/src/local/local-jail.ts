import { realpath } from 'node:fs/promises';
import * as path from 'node:path';

import { FileSystemError } from '@wharf/ftp-protocol';

import { errnoOf, toFileSystemError } from './fs-error.mapper';
import { parseVirtualPath } from './virtual-path';

/** A virtual path mapped onto the disk, proven to stay inside the jail. */
export interface JailedPath {
  virtualPath: string;
  /** Real path on disk (symlinks resolved where the operation follows them). */
  real: string;
  /** Real path of the containing directory; equals `real` for the root. */
  parent: string;
  /** Base name ("" for the root). */
  name: string;
  isRoot: boolean;
  /**
   * follow() found nothing at the final component (missing, or a dangling
   * link): callers skip the lstat that would only say so again.
   */
  missing?: boolean;
}

/**
 * Maps virtual paths under a root directory. Every mapping ends in a realpath
 * check, so a symlink placed inside the home (by an admin or another process;
 * FTP itself cannot create one) never leads a session outside it.
 */
export class LocalJail {
  private rootReal?: Promise<string>;

  constructor(private readonly root: string) {}

  /** The root's real path, resolved once (the root itself may be a symlink). */
  realRoot(): Promise<string> {
    this.rootReal ??= realpath(this.root).catch((error: unknown) => {
      this.rootReal = undefined;
      throw toFileSystemError(error, '/');
    });
    return this.rootReal;
  }

  /** Follows a symlink in the final component when its target is inside the jail. */
  async follow(virtualPath: string): Promise<JailedPath> {
    const segments = parseVirtualPath(virtualPath);
    const root = await this.realRoot();
    if (segments.length === 0) return rootPath(virtualPath, root);
    const lexical = path.join(root, ...segments);
    try {
      // One call in the common case: the whole chain, final component included.
      const real = await realpath(lexical);
      this.assertInside(real, root, virtualPath);
      return {
        virtualPath,
        real,
        parent: path.dirname(real),
        name: segments[segments.length - 1]!,
        isRoot: real === root,
      };
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') throw toFileSystemError(error, virtualPath);
      // Missing (or a dangling link): the caller may be about to create it.
      return { ...(await this.noFollow(virtualPath)), missing: true };
    }
  }

  /** Resolves the parent only: the final component is acted on itself (unlink, rename). */
  async noFollow(virtualPath: string): Promise<JailedPath> {
    const segments = parseVirtualPath(virtualPath);
    const root = await this.realRoot();
    if (segments.length === 0) return rootPath(virtualPath, root);
    let parent: string;
    try {
      parent = await realpath(path.join(root, ...segments.slice(0, -1)));
    } catch (error) {
      throw toFileSystemError(error, virtualPath);
    }
    this.assertInside(parent, root, virtualPath);
    const name = segments[segments.length - 1]!;
    return { virtualPath, real: path.join(parent, name), parent, name, isRoot: false };
  }

  /** Checks a real path found while listing (a symlink's target). */
  async isInside(realPath: string): Promise<boolean> {
    const root = await this.realRoot();
    return isInsideRoot(realPath, root);
  }

  private assertInside(real: string, root: string, virtualPath: string): void {
    if (!isInsideRoot(real, root)) {
      throw new FileSystemError('PERMISSION_DENIED', `outside the home directory: ${virtualPath}`);
    }
  }
}

export function isInsideRoot(real: string, root: string): boolean {
  if (real === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return real.startsWith(prefix);
}

function rootPath(virtualPath: string, root: string): JailedPath {
  return { virtualPath, real: root, parent: root, name: '', isRoot: true };
}
