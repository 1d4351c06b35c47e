import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { crc32 } from 'node:zlib';

import {
  type FileReader,
  type FileStat,
  type FileSystem,
  FileSystemError,
  type HashAlgorithm,
  type UploadHandle,
  type VirtualPath,
  type WriteOptions,
} from '../ports/file-system.port';

interface FileNode {
  type: 'file';
  id: number;
  data: Buffer;
  mtime: Date;
  mode: number;
}

interface DirNode {
  type: 'dir';
  id: number;
  children: Map<string, Node>;
  mtime: Date;
  mode: number;
}

type Node = FileNode | DirNode;

/** Chunk size of read streams: the same order as a disk read, so tests see several chunks. */
const READ_CHUNK = 64 * 1024;

export interface MemoryFileSystemOptions {
  /** Total bytes this file system may hold; reported by availableSpace(). Default: unknown (null). */
  capacityBytes?: number;
  /** Clock for mtimes (tests). */
  now?: () => Date;
  /**
   * Offer openReader() (default true), so binary downloads take the engine's
   * pumped path as they do on local disk; false leaves only the streamed read().
   */
  positionalReads?: boolean;
}

/**
 * In-memory FileSystem for engine tests and demos. Same contract as the local
 * one: uploads become visible only on commit(), REST keeps the bytes before
 * the offset (and drops what followed, like the local implementation), APPE
 * appends. One instance = one home; share it between sessions of a user.
 */
export class MemoryFileSystem implements FileSystem {
  private nextId = 1;
  private readonly root: DirNode;
  private readonly now: () => Date;

  readonly openReader?: (path: VirtualPath) => Promise<FileReader>;

  constructor(private readonly options: MemoryFileSystemOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.root = this.newDir();
    if (options.positionalReads !== false) this.openReader = (path) => this.reader(path);
  }

  // ----------------------------------------------------------- test helpers

  /** Creates a file (and its parent directories) directly, for test setup. */
  seedFile(path: VirtualPath, content: string | Buffer, mtime?: Date): void {
    const parts = split(path);
    const name = parts.pop();
    if (name === undefined) throw new FileSystemError('INVALID_PATH', 'Cannot write the root');
    let dir = this.root;
    for (const part of parts) {
      let child = dir.children.get(part);
      if (!child) {
        child = this.newDir();
        dir.children.set(part, child);
      }
      if (child.type !== 'dir') throw new FileSystemError('NOT_A_DIRECTORY', 'Not a directory');
      dir = child;
    }
    dir.children.set(name, {
      type: 'file',
      id: this.nextId++,
      data: Buffer.isBuffer(content) ? content : Buffer.from(content),
      mtime: mtime ?? this.now(),
      mode: 0o644,
    });
  }

  /** Content of a file, for test assertions; null when missing. */
  readFileSync(path: VirtualPath): Buffer | null {
    const node = this.find(path);
    return node?.type === 'file' ? node.data : null;
  }

  usedBytes(): number {
    let total = 0;
    const walk = (dir: DirNode): void => {
      for (const child of dir.children.values()) {
        if (child.type === 'file') total += child.data.length;
        else walk(child);
      }
    };
    walk(this.root);
    return total;
  }

  // ----------------------------------------------------------------- port

  stat(path: VirtualPath): Promise<FileStat> {
    return this.attempt(() => toStat(baseOf(path), this.get(path)));
  }

  async *list(path: VirtualPath): AsyncIterable<FileStat> {
    const dir = await this.attempt(() => this.get(path));
    if (dir.type !== 'dir') throw new FileSystemError('NOT_A_DIRECTORY', 'Not a directory');
    // Names are copied so a concurrent change does not break the iteration.
    for (const name of [...dir.children.keys()]) {
      const child = dir.children.get(name);
      if (child) yield toStat(name, child);
    }
  }

  read(path: VirtualPath, offset = 0): Promise<Readable> {
    return this.attempt(() => {
      const data = this.contentOf(path);
      function* chunks(): Generator<Buffer> {
        for (let i = Math.min(offset, data.length); i < data.length; i += READ_CHUNK) {
          yield data.subarray(i, Math.min(i + READ_CHUNK, data.length));
        }
      }
      return Readable.from(chunks(), { objectMode: false });
    });
  }

  private reader(path: VirtualPath): Promise<FileReader> {
    return this.attempt(() => {
      const data = this.contentOf(path);
      return {
        size: data.length,
        read: (buffer: Buffer, position: number) =>
          Promise.resolve(
            position >= data.length
              ? 0
              : data.copy(buffer, 0, position, Math.min(data.length, position + buffer.length)),
          ),
        close: () => Promise.resolve(),
      };
    });
  }

  /**
   * The bytes of a file for a download, captured now: a later overwrite does
   * not change a running download.
   */
  private contentOf(path: VirtualPath): Buffer {
    const node = this.get(path);
    if (node.type !== 'file') throw new FileSystemError('IS_A_DIRECTORY', 'Is a directory');
    return node.data;
  }

  write(path: VirtualPath, options: WriteOptions = {}): Promise<UploadHandle> {
    return this.attempt(() => {
      const { parent, name } = this.parentOf(path);
      const existing = parent.children.get(name);
      if (existing?.type === 'dir') throw new FileSystemError('IS_A_DIRECTORY', 'Is a directory');
      // Same refusals as LocalFileSystem: an offset past the end is never zero-filled.
      const offset = options.append ? 0 : (options.offset ?? 0);
      if (offset > 0 && !existing) throw new FileSystemError('NOT_FOUND', 'Not found');
      if (existing && offset > existing.data.length) {
        throw new FileSystemError('IO', 'Restart offset beyond end of file');
      }
      const chunks: Buffer[] = [];
      let received = 0;
      let state: 'open' | 'committed' | 'aborted' = 'open';
      const capacity = this.options.capacityBytes;
      const stream = new Writable({
        write: (chunk: Buffer, _enc, callback) => {
          received += chunk.length;
          if (capacity !== undefined && this.usedBytes() + received > capacity) {
            callback(new FileSystemError('NO_SPACE', 'No space left'));
            return;
          }
          chunks.push(chunk);
          callback();
        },
      });
      const handle: UploadHandle = {
        stream,
        commit: () =>
          this.attempt(() => {
            if (state !== 'open') throw new FileSystemError('IO', `Upload already ${state}`);
            state = 'committed';
            // Re-read: the target may have changed while the upload ran.
            const current = parent.children.get(name);
            if (current?.type === 'dir')
              throw new FileSystemError('IS_A_DIRECTORY', 'Is a directory');
            const before = current?.type === 'file' ? current.data : Buffer.alloc(0);
            if (offset > before.length) {
              // The file shrank while the upload ran: still no zero fill.
              throw new FileSystemError('IO', 'Restart offset beyond end of file');
            }
            const prefix = options.append ? before : before.subarray(0, offset);
            const data = Buffer.concat([prefix, ...chunks]);
            parent.children.set(name, {
              type: 'file',
              id: current?.id ?? this.nextId++,
              data,
              mtime: this.now(),
              mode: current?.mode ?? 0o644,
            });
            parent.mtime = this.now();
            return { size: data.length };
          }),
        abort: () => {
          state = 'aborted';
          chunks.length = 0;
          stream.destroy();
          return Promise.resolve();
        },
      };
      return handle;
    });
  }

  mkdir(path: VirtualPath): Promise<void> {
    return this.attempt(() => {
      const { parent, name } = this.parentOf(path);
      if (parent.children.has(name)) throw new FileSystemError('ALREADY_EXISTS', 'Exists');
      parent.children.set(name, this.newDir());
      parent.mtime = this.now();
    });
  }

  rmdir(path: VirtualPath): Promise<void> {
    return this.attempt(() => {
      const { parent, name } = this.parentOf(path);
      const node = parent.children.get(name);
      if (!node) throw new FileSystemError('NOT_FOUND', 'Not found');
      if (node.type !== 'dir') throw new FileSystemError('NOT_A_DIRECTORY', 'Not a directory');
      if (node.children.size > 0) throw new FileSystemError('NOT_EMPTY', 'Not empty');
      parent.children.delete(name);
      parent.mtime = this.now();
    });
  }

  delete(path: VirtualPath): Promise<void> {
    return this.attempt(() => {
      const { parent, name } = this.parentOf(path);
      const node = parent.children.get(name);
      if (!node) throw new FileSystemError('NOT_FOUND', 'Not found');
      if (node.type !== 'file') throw new FileSystemError('IS_A_DIRECTORY', 'Is a directory');
      parent.children.delete(name);
      parent.mtime = this.now();
    });
  }

  rename(from: VirtualPath, to: VirtualPath): Promise<void> {
    return this.attempt(() => {
      const source = this.parentOf(from);
      const node = source.parent.children.get(source.name);
      if (!node) throw new FileSystemError('NOT_FOUND', 'Not found');
      const target = this.parentOf(to);
      if (node.type === 'dir' && (to === from || to.startsWith(`${from}/`))) {
        throw new FileSystemError('INVALID_PATH', 'Cannot move a directory into itself');
      }
      const existing = target.parent.children.get(target.name);
      if (existing?.type === 'dir') {
        if (existing.children.size > 0) throw new FileSystemError('NOT_EMPTY', 'Not empty');
        if (node.type !== 'dir') throw new FileSystemError('IS_A_DIRECTORY', 'Is a directory');
      }
      if (existing?.type === 'file' && node.type === 'dir') {
        throw new FileSystemError('NOT_A_DIRECTORY', 'Not a directory');
      }
      source.parent.children.delete(source.name);
      target.parent.children.set(target.name, node);
      source.parent.mtime = target.parent.mtime = this.now();
    });
  }

  setModificationTime(path: VirtualPath, mtime: Date): Promise<void> {
    return this.attempt(() => {
      this.get(path).mtime = mtime;
    });
  }

  chmod(path: VirtualPath, mode: number): Promise<void> {
    return this.attempt(() => {
      this.get(path).mode = mode & 0o7777;
    });
  }

  hash(path: VirtualPath, algorithm: HashAlgorithm, start = 0, end?: number): Promise<string> {
    return this.attempt(() => {
      const node = this.get(path);
      if (node.type !== 'file') throw new FileSystemError('IS_A_DIRECTORY', 'Is a directory');
      const data = node.data.subarray(start, end ?? node.data.length);
      switch (algorithm) {
        case 'SHA-256':
          return createHash('sha256').update(data).digest('hex');
        case 'SHA-1':
          return createHash('sha1').update(data).digest('hex');
        case 'MD5':
          return createHash('md5').update(data).digest('hex');
        case 'CRC32':
          return crc32(data).toString(16).padStart(8, '0');
      }
    });
  }

  availableSpace(): Promise<number | null> {
    const capacity = this.options.capacityBytes;
    return Promise.resolve(
      capacity === undefined ? null : Math.max(0, capacity - this.usedBytes()),
    );
  }

  // ------------------------------------------------------------- internals

  /** Runs a synchronous operation as a promise, so errors become rejections. */
  private attempt<T>(operation: () => T): Promise<T> {
    try {
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private newDir(): DirNode {
    return { type: 'dir', id: this.nextId++, children: new Map(), mtime: this.now(), mode: 0o755 };
  }

  private find(path: VirtualPath): Node | undefined {
    let node: Node = this.root;
    for (const part of split(path)) {
      if (node.type !== 'dir') return undefined;
      const child: Node | undefined = node.children.get(part);
      if (!child) return undefined;
      node = child;
    }
    return node;
  }

  private get(path: VirtualPath): Node {
    const node = this.find(path);
    if (!node) throw new FileSystemError('NOT_FOUND', 'Not found');
    return node;
  }

  private parentOf(path: VirtualPath): { parent: DirNode; name: string } {
    const parts = split(path);
    const name = parts.pop();
    if (name === undefined) throw new FileSystemError('INVALID_PATH', 'The root has no parent');
    const parent = this.get(`/${parts.join('/')}`);
    if (parent.type !== 'dir') throw new FileSystemError('NOT_A_DIRECTORY', 'Not a directory');
    return { parent, name };
  }
}

/** Validates an engine-normalised virtual path and splits it. */
function split(path: VirtualPath): string[] {
  if (!path.startsWith('/') || path.includes('\0')) {
    throw new FileSystemError('INVALID_PATH', 'Invalid path');
  }
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '.' || p === '..')) {
    throw new FileSystemError('INVALID_PATH', 'Invalid path');
  }
  return parts;
}

function baseOf(path: VirtualPath): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function toStat(name: string, node: Node): FileStat {
  return {
    name,
    type: node.type,
    size: node.type === 'file' ? node.data.length : 0,
    mtime: node.mtime,
    mode: node.mode,
    uniqueId: `mem${node.id}`,
  };
}
