import { writev } from 'node:fs';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';

/** Positional writev; resolves with { bytesWritten, buffers }. */
const writevAt = promisify(writev);

/** Bytes gathered before a write is issued (docs/BENCHMARKS.md, "Uploads: the garbage collector as well", item 3). */
export const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Writes a stream into a file descriptor, from a start offset, in `writev`
 * calls of at least `batchBytes` (the last one excepted).
 *
 * fs.WriteStream issues a write for whatever is queued when the previous one
 * returns. When the disk keeps up that is every 64 KiB socket read (16 KiB on
 * FTPS): one thread-pool round trip each, about as much CPU as the copy
 * itself, and the faster the disk the more of them. Holding chunks until a
 * batch is full makes it about 1,000 writes per GiB whatever the disk does.
 *
 * One write is in flight while the next batch gathers: a chunk is
 * acknowledged as soon as it is held, and a full batch as soon as its write
 * started, unless the previous write is still running; then it waits for it.
 * So the source keeps reading while the disk writes, and what is buffered is
 * bounded by one write in flight, one batch and the stream's highWaterMark.
 * A failed write fails the next write() or end(). Chunks are kept by
 * reference: the sources (socket reads, TLS records, transforms) never reuse
 * a buffer they pushed.
 *
 * The descriptor is not closed here. Destroying the stream waits for a write
 * in flight, so the owner may close the descriptor once 'close' was emitted.
 */
export class BatchedFileWriter extends Writable {
  /** Bytes the file received (what write(2) reported, not what was queued). */
  bytesWritten = 0;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private position: number;
  /** The write in flight; it never rejects (its error goes to `failure`). */
  private inFlight: Promise<void> | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly fd: number,
    start: number,
    private readonly batchBytes = WRITE_BATCH_BYTES,
    highWaterMark = batchBytes,
  ) {
    super({ highWaterMark, decodeStrings: true });
    this.position = start;
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.hold(chunk);
    this.writeIfFull(callback);
  }

  override _writev(
    chunks: Array<{ chunk: Buffer }>,
    callback: (error?: Error | null) => void,
  ): void {
    for (const { chunk } of chunks) this.hold(chunk);
    this.writeIfFull(callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    void this.writeRest().then(() => callback(this.failure));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.held = [];
    this.heldBytes = 0;
    // The descriptor must outlive a write in flight: closing it under the
    // thread pool could let a new open() reuse the number and take our bytes.
    void this.idle().then(() => callback(error));
  }

  private hold(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.held.push(chunk);
    this.heldBytes += chunk.length;
  }

  private writeIfFull(callback: (error?: Error | null) => void): void {
    if (this.failure !== null) {
      callback(this.failure);
      return;
    }
    if (this.heldBytes < this.batchBytes) {
      callback();
      return;
    }
    if (this.inFlight === null) {
      this.startWrite();
      callback();
      return;
    }
    // Another batch is full while a write is still running: wait for it.
    void this.idle().then(() => {
      if (this.failure === null) this.startWrite();
      callback(this.failure);
    });
  }

  /** Writes what is held after the write in flight; never rejects (errors go to `failure`). */
  private async writeRest(): Promise<void> {
    await this.idle();
    if (this.failure !== null || this.heldBytes === 0) return;
    this.startWrite();
    await this.idle();
  }

  /** Resolves once no write is in flight. */
  private idle(): Promise<void> {
    return this.inFlight ?? Promise.resolve();
  }

  private startWrite(): void {
    const buffers = this.held;
    this.held = [];
    this.heldBytes = 0;
    const write: Promise<void> = this.writeAll(buffers)
      .catch((error: Error) => {
        this.failure ??= error;
      })
      .finally(() => {
        if (this.inFlight === write) this.inFlight = null;
      });
    this.inFlight = write;
  }

  /** writev until every byte is in; a short write (rare on a file) retries the rest. */
  private async writeAll(buffers: Buffer[]): Promise<void> {
    let rest = buffers;
    while (rest.length > 0) {
      const { bytesWritten: written } = await writevAt(this.fd, rest, this.position);
      if (written === 0) throw new Error('write(2) wrote nothing');
      this.position += written;
      this.bytesWritten += written;
      rest = skipBytes(rest, written);
    }
  }
}

/** The buffers left after the first `bytes` bytes were written. */
export function skipBytes(buffers: Buffer[], bytes: number): Buffer[] {
  let skip = bytes;
  let index = 0;
  while (index < buffers.length && skip >= buffers[index].length) {
    skip -= buffers[index].length;
    index += 1;
  }
  const rest = buffers.slice(index);
  if (skip > 0 && rest.length > 0) rest[0] = rest[0].subarray(skip);
  return rest;
}
