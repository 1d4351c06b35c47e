import type { Readable, Writable } from 'node:stream';

/**
 * Virtual paths are always absolute, POSIX style, already normalised by the
 * engine ("/", "/dir/file.txt"): no "..", no "//", no trailing slash except "/".
 * Implementations must still refuse anything that would leave the jail.
 */
export type VirtualPath = string;

export interface FileStat {
  /** Base name ("" for the root). */
  name: string;
  type: 'file' | 'dir';
  size: number;
  mtime: Date;
  /** POSIX permission bits (e.g. 0o644), used for LIST and MLSD unix.mode. */
  mode: number;
  /** Stable identifier for MLSD "unique" (device+inode or similar). */
  uniqueId?: string;
}

export type HashAlgorithm = 'SHA-256' | 'SHA-1' | 'MD5' | 'CRC32';

export interface WriteOptions {
  /** Byte offset to start writing at (REST + STOR); bytes before it are kept. */
  offset?: number;
  /** APPE: append to the existing file (created when missing). */
  append?: boolean;
}

/** A write in progress. Nothing is visible under the final name until commit(). */
export interface UploadHandle {
  stream: Writable;
  /** Atomically move the finished upload into place. Returns the final size. */
  commit(): Promise<{ size: number }>;
  /** Remove the temporary data; the final name keeps its previous content. */
  abort(): Promise<void>;
}

/** Error codes every FileSystem implementation throws (as FileSystemError). */
export type FileSystemErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'NOT_A_DIRECTORY'
  | 'IS_A_DIRECTORY'
  | 'NOT_EMPTY'
  | 'PERMISSION_DENIED'
  | 'INVALID_PATH'
  | 'NO_SPACE'
  | 'IO';

export class FileSystemError extends Error {
  constructor(
    readonly code: FileSystemErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FileSystemError';
  }
}

/** Positional reads of one open file (FileSystem.openReader). */
export interface FileReader {
  /**
   * The file's size when it was opened (from the open file itself): a
   * download that has a reader needs no stat() of its own.
   */
  readonly size: number;
  /** Reads up to `buffer.length` bytes at `position` into `buffer`; 0 at the end of the file. */
  read(buffer: Buffer, position: number): Promise<number>;
  /** Idempotent; awaited before the transfer's reply. */
  close(): Promise<void>;
}

/** One FileSystem per FTP session, rooted at the user's home (the jail). */
export interface FileSystem {
  stat(path: VirtualPath): Promise<FileStat>;
  /** Streams entries; never builds a whole directory in memory. */
  list(path: VirtualPath): AsyncIterable<FileStat>;
  read(path: VirtualPath, offset?: number): Promise<Readable>;
  /**
   * Optional: the file opened for positional reads. A binary download
   * without a throttle then reads into two buffers it reuses, instead of a
   * stream that allocates a buffer per chunk: a GiB sent that way allocated
   * a GiB of ArrayBuffers, and V8 answers that with a full mark-compact
   * every ~64 MiB, which in a process with a large heap (the worker) took
   * half the time of a download. Same errors as read().
   */
  openReader?(path: VirtualPath): Promise<FileReader>;
  write(path: VirtualPath, options?: WriteOptions): Promise<UploadHandle>;
  mkdir(path: VirtualPath): Promise<void>;
  rmdir(path: VirtualPath): Promise<void>;
  delete(path: VirtualPath): Promise<void>;
  rename(from: VirtualPath, to: VirtualPath): Promise<void>;
  setModificationTime(path: VirtualPath, mtime: Date): Promise<void>;
  chmod?(path: VirtualPath, mode: number): Promise<void>;
  hash(path: VirtualPath, algorithm: HashAlgorithm, start?: number, end?: number): Promise<string>;
  /** Bytes available to this session (quota or disk), or null when unknown. */
  availableSpace(path: VirtualPath): Promise<number | null>;
}
