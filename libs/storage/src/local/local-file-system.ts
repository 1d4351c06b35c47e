import type { Stats } from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import {
  chmod,
  type FileHandle,
  lstat,
  mkdir,
  open,
  rename,
  rmdir,
  statfs,
  unlink,
  utimes,
} from 'node:fs/promises';
import type { Readable } from 'node:stream';

import {
  downloadChunkBytes,
  type FileReader,
  type FileStat,
  type FileSystem,
  FileSystemError,
  type HashAlgorithm,
  type UploadHandle,
  type VirtualPath,
  type WriteOptions,
} from '@wharf/ftp-protocol';

import { hashFile } from './file-hash';
import { errnoOf, toFileSystemError } from './fs-error.mapper';
import { type JailedPath, LocalJail } from './local-jail';
import { listDirectory, toFileStat } from './local-listing';
import { startUpload } from './local-upload';

export interface LocalFileSystemOptions {
  /**
   * fsync the file and its directory before an upload becomes visible (default
   * true). Turning it off trades durability after a power cut for small-file
   * throughput; the rename stays atomic either way.
   */
  fsync?: boolean;
}

// O_NONBLOCK: opening a FIFO someone left in a home must not hang the session.
const OPEN_READ = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;

/**
 * The FileSystem port on local disk, jailed under one directory (a user's
 * home). Every path is parsed strictly (virtual-path.ts) and every mapping is
 * checked with realpath (local-jail.ts); uploads go through a hidden temporary
 * file renamed into place on commit (local-upload.ts).
 */
export class LocalFileSystem implements FileSystem {
  private readonly jail: LocalJail;
  private readonly fsync: boolean;

  constructor(root: string, options: LocalFileSystemOptions = {}) {
    this.jail = new LocalJail(root);
    this.fsync = options.fsync ?? true;
  }

  async stat(virtualPath: VirtualPath): Promise<FileStat> {
    const target = await this.jail.follow(virtualPath);
    return toFileStat(target.isRoot ? '' : target.name, await this.lstatResolved(target));
  }

  list(virtualPath: VirtualPath): AsyncIterable<FileStat> {
    return listDirectory(() => this.directory(virtualPath), virtualPath, this.jail);
  }

  async read(virtualPath: VirtualPath, offset = 0): Promise<Readable> {
    assertOffset(offset, virtualPath);
    const { handle, info } = await this.openFile(virtualPath);
    return handle.createReadStream({
      start: offset,
      highWaterMark: downloadChunkBytes(info.size - offset),
    });
  }

  async openReader(virtualPath: VirtualPath): Promise<FileReader> {
    const { handle, info } = await this.openFile(virtualPath);
    let closed: Promise<void> | null = null;
    return {
      size: info.size,
      read: async (buffer, position) => {
        try {
          return (await handle.read(buffer, 0, buffer.length, position)).bytesRead;
        } catch (error) {
          throw toFileSystemError(error, virtualPath);
        }
      },
      close: () => (closed ??= handle.close()),
    };
  }

  /** A regular file of the jail, open for reading (a FIFO or device is refused). */
  private async openFile(virtualPath: VirtualPath): Promise<{ handle: FileHandle; info: Stats }> {
    const target = await this.jail.follow(virtualPath);
    let handle: FileHandle | undefined;
    try {
      handle = await open(target.real, OPEN_READ);
      const info = await handle.stat();
      assertRegularFile(info, virtualPath);
      return { handle, info };
    } catch (error) {
      await handle?.close();
      throw toFileSystemError(error, virtualPath);
    }
  }

  async write(virtualPath: VirtualPath, options: WriteOptions = {}): Promise<UploadHandle> {
    const offset = options.append ? 0 : (options.offset ?? 0);
    assertOffset(offset, virtualPath);
    const target = await this.jail.follow(virtualPath);
    if (target.isRoot) throw new FileSystemError('IS_A_DIRECTORY', `is a directory: /`);
    // One thread-pool round trip less per new file: follow() already found nothing there.
    const existing = target.missing ? null : await this.existingFile(target);
    if (!existing && offset > 0) {
      throw new FileSystemError('NOT_FOUND', `no file to restart: ${virtualPath}`);
    }
    if (existing && offset > existing.size) {
      // Writing past the end would leave a hole of zeros the client never sent.
      throw new FileSystemError('IO', `restart offset beyond end of file: ${virtualPath}`);
    }
    const keep = options.append ? (existing?.size ?? 0) : offset;
    return startUpload({ target, existing, keep, fsync: this.fsync });
  }

  async mkdir(virtualPath: VirtualPath): Promise<void> {
    const target = await this.jail.noFollow(virtualPath);
    if (target.isRoot) throw new FileSystemError('ALREADY_EXISTS', 'already exists: /');
    try {
      await mkdir(target.real, 0o755);
    } catch (error) {
      throw toFileSystemError(error, virtualPath);
    }
  }

  async rmdir(virtualPath: VirtualPath): Promise<void> {
    const target = await this.jail.noFollow(virtualPath);
    if (target.isRoot) {
      throw new FileSystemError('PERMISSION_DENIED', 'the home directory cannot be removed');
    }
    try {
      // rmdir(2) refuses a symlink with ENOTDIR, so a link to a directory is never followed.
      await rmdir(target.real);
    } catch (error) {
      // Linux reports ENOTEMPTY, some systems EEXIST.
      throw toFileSystemError(error, virtualPath, { EEXIST: 'NOT_EMPTY' });
    }
  }

  async delete(virtualPath: VirtualPath): Promise<void> {
    const target = await this.jail.noFollow(virtualPath);
    if (target.isRoot) throw new FileSystemError('IS_A_DIRECTORY', 'is a directory: /');
    try {
      const info = await lstat(target.real);
      if (info.isDirectory()) {
        throw new FileSystemError('IS_A_DIRECTORY', `is a directory: ${virtualPath}`);
      }
      // A symlink is removed itself; its target (wherever it is) is untouched.
      await unlink(target.real);
    } catch (error) {
      throw toFileSystemError(error, virtualPath);
    }
  }

  async rename(from: VirtualPath, to: VirtualPath): Promise<void> {
    const source = await this.jail.noFollow(from);
    const destination = await this.jail.noFollow(to);
    if (source.isRoot || destination.isRoot) {
      throw new FileSystemError('PERMISSION_DENIED', 'the home directory cannot be renamed');
    }
    try {
      await lstat(source.real);
    } catch (error) {
      throw toFileSystemError(error, from);
    }
    try {
      await rename(source.real, destination.real);
    } catch (error) {
      // EINVAL: a directory moved into itself.
      throw toFileSystemError(error, to, { EXDEV: 'PERMISSION_DENIED' });
    }
  }

  async setModificationTime(virtualPath: VirtualPath, mtime: Date): Promise<void> {
    const target = await this.jail.follow(virtualPath);
    try {
      const info = await this.lstatResolved(target);
      await utimes(target.real, info.atime, mtime);
    } catch (error) {
      throw toFileSystemError(error, virtualPath);
    }
  }

  async chmod(virtualPath: VirtualPath, mode: number): Promise<void> {
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
      throw new FileSystemError('INVALID_PATH', `invalid mode for ${virtualPath}`);
    }
    const target = await this.jail.follow(virtualPath);
    await this.lstatResolved(target);
    try {
      // setuid, setgid and sticky bits are never granted to FTP users.
      await chmod(target.real, mode & 0o777);
    } catch (error) {
      throw toFileSystemError(error, virtualPath);
    }
  }

  async hash(
    virtualPath: VirtualPath,
    algorithm: HashAlgorithm,
    start?: number,
    end?: number,
  ): Promise<string> {
    assertOffset(start ?? 0, virtualPath);
    if (end !== undefined) assertOffset(end, virtualPath);
    const target = await this.jail.follow(virtualPath);
    let handle;
    try {
      handle = await open(target.real, OPEN_READ);
      assertRegularFile(await handle.stat(), virtualPath);
      return await hashFile(handle, algorithm, start, end);
    } catch (error) {
      throw toFileSystemError(error, virtualPath);
    } finally {
      await handle?.close();
    }
  }

  async availableSpace(virtualPath: VirtualPath = '/'): Promise<number | null> {
    // statfs of the directory asked about: a home may span mounts.
    const target = await this.jail.follow(virtualPath);
    try {
      const info = await statfs(target.real);
      return info.bavail * info.bsize;
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') throw toFileSystemError(error, virtualPath);
      return null;
    }
  }

  /**
   * lstat of a path the jail already resolved: a symlink at this point is a
   * dangling link or one swapped in since; neither is followed.
   */
  private async lstatResolved(target: JailedPath): Promise<Stats> {
    if (target.missing) {
      throw new FileSystemError('NOT_FOUND', `no such file or directory: ${target.virtualPath}`);
    }
    let info: Stats;
    try {
      info = await lstat(target.real);
    } catch (error) {
      throw toFileSystemError(error, target.virtualPath);
    }
    if (info.isSymbolicLink()) {
      throw new FileSystemError('NOT_FOUND', `no such file or directory: ${target.virtualPath}`);
    }
    return info;
  }

  /** Real path of a directory to list (a link to one inside the jail counts). */
  private async directory(virtualPath: VirtualPath): Promise<string> {
    const target = await this.jail.follow(virtualPath);
    const info = await this.lstatResolved(target);
    if (!info.isDirectory()) {
      throw new FileSystemError('NOT_A_DIRECTORY', `not a directory: ${virtualPath}`);
    }
    return target.real;
  }

  private async existingFile(target: JailedPath): Promise<{ size: number; mode: number } | null> {
    try {
      const info = await lstat(target.real);
      if (info.isDirectory()) {
        throw new FileSystemError('IS_A_DIRECTORY', `is a directory: ${target.virtualPath}`);
      }
      // A dangling symlink is replaced by the upload, never written through.
      return info.isFile() ? { size: info.size, mode: info.mode } : null;
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return null;
      throw toFileSystemError(error, target.virtualPath);
    }
  }
}

function assertRegularFile(info: Stats, virtualPath: string): void {
  if (info.isDirectory()) {
    throw new FileSystemError('IS_A_DIRECTORY', `is a directory: ${virtualPath}`);
  }
  if (!info.isFile()) {
    throw new FileSystemError('PERMISSION_DENIED', `not a regular file: ${virtualPath}`);
  }
}

function assertOffset(offset: number, virtualPath: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new FileSystemError('INVALID_PATH', `invalid offset for ${virtualPath}`);
  }
}
