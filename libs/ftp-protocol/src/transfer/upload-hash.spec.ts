import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { EvalThread } from '../threads/eval-thread';
import { HASH_THREAD_BODY, type HashRequest, ThreadSha256 } from './sha256-threads';
import { HASH_BATCH_BYTES, HASH_MAX_LAG_BYTES, UploadHash } from './upload-hash';
import { UploadMeter } from './upload-meter';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Splits `data` into chunks of `size` (the last one shorter), as a socket delivers them. */
function chunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

describe('UploadHash', () => {
  it.each([
    ['nothing', 0, 65536],
    ['one small chunk', 4096, 65536],
    ['pool-sized chunks', 3000, 100],
    ['exactly one batch', HASH_BATCH_BYTES, 65536],
    ['one byte over a batch', HASH_BATCH_BYTES + 1, 65536],
    ['many batches in odd chunks', 5 * HASH_BATCH_BYTES + 12345, 65521],
  ])('digests %s like a plain SHA-256 (%d bytes)', async (_name, size, chunkSize) => {
    const data = randomBytes(size);
    const hash = new UploadHash();
    for (const chunk of chunks(data, chunkSize)) hash.update(chunk);
    await expect(hash.digest()).resolves.toBe(sha256(data));
  });

  it('leaves the caller data it still uses: chunks handed over are copies', async () => {
    const data = randomBytes(2 * HASH_BATCH_BYTES);
    const copy = Buffer.from(data);
    const hash = new UploadHash();
    for (const chunk of chunks(data, 65536)) hash.update(chunk);
    const digest = await hash.digest();
    expect(data.equals(copy)).toBe(true);
    expect(digest).toBe(sha256(copy));
  });

  it('asks the caller to wait while the thread lags behind, and lets go once it caught up', async () => {
    const data = randomBytes(HASH_MAX_LAG_BYTES + 2 * HASH_BATCH_BYTES);
    const hash = new UploadHash();
    expect(hash.backpressure()).toBeNull();
    // Handed over synchronously: the thread cannot acknowledge anything in between.
    for (const chunk of chunks(data, HASH_BATCH_BYTES)) hash.update(chunk);
    const wait = hash.backpressure();
    expect(wait).not.toBeNull();
    await wait;
    expect(hash.backpressure()).toBeNull();
    await expect(hash.digest()).resolves.toBe(sha256(data));
  });

  it('keeps uploads apart: concurrent hashes each get their own digest', async () => {
    const inputs = [randomBytes(3 * HASH_BATCH_BYTES), randomBytes(2 * HASH_BATCH_BYTES + 7)];
    const hashes = inputs.map(() => new UploadHash());
    const split = inputs.map((data) => chunks(data, 65536));
    for (let i = 0; i < Math.max(...split.map((c) => c.length)); i++) {
      split.forEach((list, n) => list[i] && hashes[n].update(list[i]));
    }
    const digests = await Promise.all(hashes.map((hash) => hash.digest()));
    expect(digests).toEqual(inputs.map(sha256));
  });

  it('is refused a second digest, and dispose() after an abort leaves nothing to digest', async () => {
    const hash = new UploadHash();
    hash.update(randomBytes(2 * HASH_BATCH_BYTES));
    await hash.digest();
    await expect(hash.digest()).rejects.toThrow('already finished');

    const aborted = new UploadHash();
    aborted.update(randomBytes(2 * HASH_BATCH_BYTES));
    aborted.dispose();
    await expect(aborted.digest()).rejects.toThrow('already finished');
  });
});

describe('ThreadSha256', () => {
  it('hashes in the thread, and digests an upload that sent nothing as the empty input', async () => {
    const thread = new EvalThread<HashRequest, string | null>(HASH_THREAD_BODY);
    const data = Buffer.allocUnsafeSlow(1024).fill(3);
    const expected = sha256(data);
    const hash = new ThreadSha256(thread, 1);
    hash.update(data);
    await expect(hash.digest()).resolves.toBe(expected);
    await expect(new ThreadSha256(thread, 2).digest()).resolves.toBe(sha256(Buffer.alloc(0)));
  });

  it('refuses, in a restarted thread, to go on with an upload whose state it never had', async () => {
    const thread = new EvalThread<HashRequest, string | null>(HASH_THREAD_BODY);
    const later = { op: 'update', id: 7, first: false, data: new ArrayBuffer(8) } as const;
    await expect(thread.request(later)).rejects.toThrow('state lost');
    await expect(thread.request({ op: 'digest', id: 7, empty: false })).rejects.toThrow('state lost');
  });

  it('lets the upload go on after a failed update, and then fails the digest', async () => {
    const broken = new EvalThread<HashRequest, string | null>(
      'function handle() { throw new Error("thread broke"); }',
    );
    const hash = new ThreadSha256(broken, 1);
    hash.update(Buffer.allocUnsafeSlow(4096));
    // Back-pressure never holds an upload on a failed thread.
    await hash.whenPendingAtMost(0);
    expect(hash.pending).toBe(0);
    hash.update(Buffer.allocUnsafeSlow(4096));
    await expect(hash.digest()).rejects.toThrow('thread broke');
  });
});

describe('UploadMeter', () => {
  it('passes every byte through unchanged, counts it and digests it off the event loop', async () => {
    const data = randomBytes(HASH_MAX_LAG_BYTES * 2 + 999);
    const received: Buffer[] = [];
    const meter = new UploadMeter({});
    await pipeline(
      Readable.from(chunks(data, 65536)),
      meter,
      new Writable({
        write(chunk: Buffer, _enc, callback) {
          received.push(chunk);
          callback();
        },
      }),
    );
    expect(Buffer.concat(received).equals(data)).toBe(true);
    expect(meter.bytes).toBe(data.length);
    await expect(meter.digest()).resolves.toBe(sha256(data));
  });

  it('watches a source it is not piped into, pausing it while the hash thread lags behind', async () => {
    const data = randomBytes(HASH_MAX_LAG_BYTES * 2 + 999);
    const source = new PassThrough({ highWaterMark: 64 * 1024 });
    const meter = new UploadMeter({});
    const unwatch = meter.watch(source);
    const received: Buffer[] = [];
    let paused = 0;
    source.on('pause', () => paused++);
    source.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => source.once('end', resolve));
    for (const chunk of chunks(data, HASH_BATCH_BYTES)) source.write(chunk);
    source.end();
    await ended;
    unwatch();
    expect(paused).toBeGreaterThan(0);
    expect(Buffer.concat(received).equals(data)).toBe(true);
    expect(meter.bytes).toBe(data.length);
    await expect(meter.digest()).resolves.toBe(sha256(data));
  });

  it('digests nothing with hashing off', async () => {
    const meter = new UploadMeter({ sha256: false });
    const source = new PassThrough();
    meter.watch(source);
    source.end(Buffer.from('abc'));
    source.resume();
    await new Promise((resolve) => source.once('end', resolve));
    expect(meter.bytes).toBe(3);
    await expect(meter.digest()).resolves.toBeNull();
  });
});
