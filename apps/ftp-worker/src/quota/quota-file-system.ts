import type { Readable } from 'node:stream';

import {
  type FileReader,
  type FileStat,
  type FileSystem,
  FileSystemError,
  FtpError,
  FtpErrorCode,
  type HashAlgorithm,
  Reply,
  type UploadHandle,
  type VirtualPath,
  type WriteOptions,
} from '@wharf/ftp-protocol';

import { DownloadMeter, meteredReader } from './download-meter';
import { QuotaErrorCode, QuotaException } from './quota.exception';
import type { QuotaSession } from './quota-session';

/**
 * Decorates a session's FileSystem with the quota bookkeeping that needs to
 * know what is on disk: the size an upload replaces, the size of a deleted
 * file or of the file a rename overwrote, and the bytes of each download.
 * Rename is otherwise neutral (the bytes stay in the home).
 */
export class QuotaFileSystem implements FileSystem {
  readonly chmod?: (path: VirtualPath, mode: number) => Promise<void>;
  /** Present when the inner FileSystem has it: the reads are charged like read()'s stream. */
  readonly openReader?: (path: VirtualPath) => Promise<FileReader>;

  constructor(
    private readonly inner: FileSystem,
    private readonly quota: QuotaSession,
  ) {
    if (inner.chmod) this.chmod = (path, mode) => inner.chmod!(path, mode);
    const openReader = inner.openReader?.bind(inner);
    if (openReader) {
      this.openReader = async (path) => {
        const limited = await this.downloadLimited();
        return meteredReader(await openReader(path), this.quota, limited);
      };
    }
  }

  stat(path: VirtualPath): Promise<FileStat> {
    return this.inner.stat(path);
  }

  list(path: VirtualPath): AsyncIterable<FileStat> {
    return this.inner.list(path);
  }

  async read(path: VirtualPath, offset?: number): Promise<Readable> {
    const limited = await this.downloadLimited();
    return DownloadMeter.wrap(await this.inner.read(path, offset), this.quota, limited);
  }

  /** Whether a download quota limits this user; 550 when it is used up for this period. */
  private async downloadLimited(): Promise<boolean> {
    const remaining = await this.quota.downloadRemaining();
    if (remaining === 0) {
      // Before the 150: 550, a permanent answer for this period, so clients
      // do not retry it in a loop as they would a 4xx.
      throw new FtpError(FtpErrorCode.QUOTA_EXCEEDED, 'Download quota exceeded for this period.', {
        reply: Reply.FILE_NOT_FOUND,
      });
    }
    return remaining !== null;
  }

  async write(path: VirtualPath, options?: WriteOptions): Promise<UploadHandle> {
    const existing = await this.fileSize(path);
    const keep = options?.append ? (existing ?? 0) : (options?.offset ?? 0);
    let upload;
    try {
      upload = await this.quota.openUpload(path, { existingSize: existing, keep });
    } catch (error) {
      if (error instanceof QuotaException && error.code === QuotaErrorCode.UploadRefused) {
        throw new FtpError(FtpErrorCode.QUOTA_EXCEEDED, error.message, { cause: error });
      }
      throw error;
    }
    let handle: UploadHandle;
    try {
      handle = await this.inner.write(path, options);
    } catch (error) {
      await upload.abort();
      throw error;
    }
    return {
      stream: handle.stream,
      commit: async () => {
        const result = await handle.commit().catch(async (error: unknown) => {
          await upload.abort();
          throw error;
        });
        await upload.commit(result.size);
        return result;
      },
      abort: async () => {
        try {
          await handle.abort();
        } finally {
          await upload.abort();
        }
      },
    };
  }

  mkdir(path: VirtualPath): Promise<void> {
    return this.inner.mkdir(path);
  }

  rmdir(path: VirtualPath): Promise<void> {
    return this.inner.rmdir(path);
  }

  async delete(path: VirtualPath): Promise<void> {
    const size = await this.fileSize(path, false);
    await this.inner.delete(path);
    if (size !== null) await this.quota.recordRemoval(size, 1);
  }

  async rename(from: VirtualPath, to: VirtualPath): Promise<void> {
    // rename(2) replaces an existing file at `to`: its bytes leave the home.
    const replaced = from === to ? null : await this.fileSize(to, false);
    await this.inner.rename(from, to);
    if (replaced !== null) await this.quota.recordRemoval(replaced, 1);
  }

  setModificationTime(path: VirtualPath, mtime: Date): Promise<void> {
    return this.inner.setModificationTime(path, mtime);
  }

  hash(path: VirtualPath, algorithm: HashAlgorithm, start?: number, end?: number): Promise<string> {
    return this.inner.hash(path, algorithm, start, end);
  }

  /** AVBL: what the quota leaves, no more than the disk has; the disk alone when unlimited. */
  async availableSpace(path: VirtualPath): Promise<number | null> {
    const [quota, disk] = await Promise.all([
      this.quota.available(),
      this.inner.availableSpace(path),
    ]);
    if (quota === null) return disk;
    return disk === null ? quota : Math.min(quota, disk);
  }

  /** Size of the regular file at `path`, null when there is none (or it is a directory). */
  private async fileSize(path: VirtualPath, strict = true): Promise<number | null> {
    try {
      const stat = await this.inner.stat(path);
      return stat.type === 'file' ? stat.size : null;
    } catch (error) {
      if (error instanceof FileSystemError && (error.code === 'NOT_FOUND' || !strict)) return null;
      throw error;
    }
  }
}
