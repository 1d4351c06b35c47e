import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';

import { BatchedFileWriter, skipBytes } from './batched-file-writer';

const KiB = 1024;

describe('BatchedFileWriter', () => {
  let root: string;
  let file: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'wharf-batch-'));
    file = path.join(root, 'out.bin');
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  /** Pipes `chunks` through a writer on a fresh file; returns the writer and the writev batch sizes. */
  async function writeChunks(
    chunks: Buffer[],
    options: { start?: number; batch?: number; existing?: Buffer } = {},
  ): Promise<{ writer: BatchedFileWriter; batches: number[] }> {
    if (options.existing) await writeFile(file, options.existing);
    const handle = await open(file, fsConstants.O_WRONLY | fsConstants.O_CREAT);
    const writer = new BatchedFileWriter(handle.fd, options.start ?? 0, options.batch ?? 64 * KiB);
    const batches = recordBatches(writer);
    try {
      await pipeline(Readable.from(chunks), writer);
    } finally {
      await handle.close();
    }
    return { writer, batches };
  }

  type WriteAll = (buffers: Buffer[]) => Promise<void>;

  /** Puts `around` in front of the writer's private writeAll (each writev batch goes through it). */
  function wrapWriteAll(
    writer: BatchedFileWriter,
    around: (buffers: Buffer[], writeAll: WriteAll) => Promise<void>,
  ): void {
    const target = writer as unknown as { writeAll: WriteAll };
    const writeAll = target.writeAll.bind(writer);
    target.writeAll = (buffers) => around(buffers, writeAll);
  }

  /** Makes every write wait until the returned release() is called. */
  function holdWrites(writer: BatchedFileWriter): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    wrapWriteAll(writer, async (buffers, writeAll) => {
      await gate;
      return writeAll(buffers);
    });
    return release;
  }

  /** Sizes of the batches the writer hands to writev. */
  function recordBatches(writer: BatchedFileWriter): number[] {
    const batches: number[] = [];
    wrapWriteAll(writer, (buffers, writeAll) => {
      batches.push(buffers.reduce((sum, b) => sum + b.length, 0));
      return writeAll(buffers);
    });
    return batches;
  }

  it('writes every byte in order, in batches of at least the batch size and a last short one', async () => {
    const chunks = Array.from({ length: 40 }, () => randomBytes(5 * KiB));
    const { writer, batches } = await writeChunks(chunks, { batch: 64 * KiB });

    expect(await readFile(file)).toEqual(Buffer.concat(chunks));
    expect(writer.bytesWritten).toBe(200 * KiB);
    // 13 chunks of 5 KiB make the first 65 KiB batch; what queues behind a
    // write in flight leaves with the next one, and the rest at the end.
    expect(batches[0]).toBe(65 * KiB);
    expect(batches.slice(0, -1).every((size) => size >= 64 * KiB)).toBe(true);
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(200 * KiB);
    expect(batches.length).toBeLessThanOrEqual(4);
  });

  it('writes one small upload with a single write at the end', async () => {
    const { batches } = await writeChunks([Buffer.from('hello')]);
    expect(await readFile(file, 'utf8')).toBe('hello');
    expect(batches).toEqual([5]);
  });

  it('writes nothing for an empty upload', async () => {
    const { writer, batches } = await writeChunks([]);
    expect(await readFile(file)).toHaveLength(0);
    expect(writer.bytesWritten).toBe(0);
    expect(batches).toEqual([]);
  });

  it('starts at the given offset and keeps the bytes before it', async () => {
    const existing = Buffer.from('0123456789');
    await writeChunks([Buffer.from('abc'), Buffer.from('de')], { start: 4, existing });
    expect(await readFile(file, 'utf8')).toBe('0123abcde9');
  });

  it('reports a failed write as a stream error (a descriptor opened read-only)', async () => {
    await writeFile(file, '');
    const handle = await open(file, fsConstants.O_RDONLY);
    const writer = new BatchedFileWriter(handle.fd, 0, 4);
    try {
      await expect(pipeline(Readable.from([Buffer.from('abcdef')]), writer)).rejects.toMatchObject({
        code: 'EBADF',
      });
    } finally {
      await handle.close();
    }
  });

  it('takes the next batch while one write is in flight, and waits before a second one', async () => {
    const handle = await open(file, fsConstants.O_WRONLY | fsConstants.O_CREAT);
    const writer = new BatchedFileWriter(handle.fd, 0, 4);
    const release = holdWrites(writer);
    const acknowledged: string[] = [];
    writer.write(Buffer.from('abcd'), () => acknowledged.push('first'));
    writer.write(Buffer.from('efgh'), () => acknowledged.push('second'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The first batch is on its way and acknowledged; the second waits for it.
    expect(acknowledged).toEqual(['first']);

    release();
    writer.end();
    await finished(writer);
    await handle.close();
    expect(acknowledged).toEqual(['first', 'second']);
    expect(await readFile(file, 'utf8')).toBe('abcdefgh');
  });

  it('waits for a write in flight before it reports closed, so the descriptor is not closed under it', async () => {
    const handle = await open(file, fsConstants.O_WRONLY | fsConstants.O_CREAT);
    const writer = new BatchedFileWriter(handle.fd, 0, 4);
    const release = holdWrites(writer);
    let closed = false;
    writer.on('close', () => (closed = true));
    writer.on('error', () => undefined);

    writer.write(Buffer.from('abcdef'));
    writer.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);

    release();
    await finished(writer).catch(() => undefined);
    expect(closed).toBe(true);
    await handle.close();
    expect(await readFile(file, 'utf8')).toBe('abcdef');
  });
});

describe('skipBytes', () => {
  const buffers = [Buffer.from('abc'), Buffer.from('de'), Buffer.from('fgh')];
  const text = (rest: Buffer[]): string => Buffer.concat(rest).toString();

  it.each([
    [0, 'abcdefgh'],
    [2, 'cdefgh'],
    [3, 'defgh'],
    [4, 'efgh'],
    [7, 'h'],
    [8, ''],
  ])('after %i bytes written leaves %j', (written, left) => {
    expect(text(skipBytes(buffers, written))).toBe(left);
  });
});
