import { randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { copyFile, type FileHandle, open, rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { finished } from 'node:stream/promises';

import { FileSystemError, type UploadHandle } from '@wharf/ftp-protocol';

import { BatchedFileWriter } from './batched-file-writer';
import { toFileSystemError } from './fs-error.mapper';
import type { JailedPath } from './local-jail';
import { UPLOAD_TEMP_PREFIX, UPLOAD_TEMP_SUFFIX } from './virtual-path';

export interface UploadPlan {
  target: JailedPath;
  /** Existing file under the final name, if any. */
  existing: { size: number; mode: number } | null;
  /** Bytes of the existing file to keep; writing starts there. */
  keep: number;
  fsync: boolean;
}

/**
 * Starts an upload into a hidden temporary file beside the target. REST and
 * APPE start from a copy of the existing file (a reflink where the file system
 * offers one), so the bytes before the offset are the original bytes, never
 * zeros, and the final name changes only in commit(), by rename(2).
 */
export async function startUpload(plan: UploadPlan): Promise<UploadHandle> {
  const { target, existing, keep } = plan;
  const temp = path.join(
    target.parent,
    `${UPLOAD_TEMP_PREFIX}${randomUUID()}${UPLOAD_TEMP_SUFFIX}`,
  );
  let handle: FileHandle | undefined;
  try {
    if (existing && keep > 0) {
      await copyFile(target.real, temp, fsConstants.COPYFILE_EXCL | fsConstants.COPYFILE_FICLONE);
      handle = await open(temp, fsConstants.O_WRONLY | fsConstants.O_NOFOLLOW);
      await handle.truncate(keep);
    } else {
      handle = await open(
        temp,
        fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW,
        existing ? existing.mode & 0o777 : 0o644,
      );
      // open() applies the umask; an overwrite keeps the file's own permissions.
      if (existing) await handle.chmod(existing.mode & 0o777);
    }
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw toFileSystemError(error, target.virtualPath);
  }
  return new LocalUpload(target, temp, handle, keep, plan.fsync);
}

class LocalUpload implements UploadHandle {
  readonly stream: BatchedFileWriter;
  private state: 'open' | 'committed' | 'aborted' = 'open';
  private closed = false;

  constructor(
    private readonly target: JailedPath,
    private readonly temp: string,
    private readonly handle: FileHandle,
    private readonly start: number,
    private readonly fsync: boolean,
  ) {
    // The writer never closes the descriptor: commit() fsyncs it after the last write.
    this.stream = new BatchedFileWriter(handle.fd, this.start);
  }

  async commit(): Promise<{ size: number }> {
    if (this.state !== 'open') {
      throw new FileSystemError('IO', `upload already ${this.state}: ${this.target.virtualPath}`);
    }
    try {
      if (!this.stream.writableEnded) this.stream.end();
      await finished(this.stream);
      if (this.fsync) await this.handle.sync();
      // No fstat on the hot path: the file is the kept prefix plus what the stream wrote.
      const size = this.start + this.stream.bytesWritten;
      await this.closeHandle();
      await rename(this.temp, this.target.real);
      this.state = 'committed';
      if (this.fsync) await syncDirectory(this.target.parent);
      return { size };
    } catch (error) {
      if (this.state === 'open') await this.abort();
      throw toFileSystemError(error, this.target.virtualPath);
    }
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    // Destroying waits for a write in flight; only then may the descriptor close.
    this.stream.destroy();
    await finished(this.stream).catch(() => undefined);
    await this.closeHandle().catch(() => undefined);
    try {
      await unlink(this.temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw toFileSystemError(error, this.target.virtualPath);
      }
    }
  }

  private async closeHandle(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** Makes the rename itself durable (the directory entry lives in the directory's blocks). */
async function syncDirectory(directory: string): Promise<void> {
  const dir = await open(directory, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
