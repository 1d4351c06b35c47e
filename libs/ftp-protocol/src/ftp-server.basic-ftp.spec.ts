import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';

import { Client } from 'basic-ftp';

import { MemoryFileSystem } from './memory/memory-file-system';
import type { FileReader } from './ports/file-system.port';
import {
  loggedInClient,
  startTestServer,
  TEST_USER,
  type TestServer,
} from './testing/ftp-test-harness';

function sink(): { stream: Writable; data: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { stream, data: () => Buffer.concat(chunks) };
}

describe('FtpServer with basic-ftp (plain)', () => {
  let t: TestServer;
  let client: Client;

  beforeEach(async () => {
    t = await startTestServer();
    client = await loggedInClient(t);
  });

  afterEach(async () => {
    client.close();
    await t.close();
  });

  it('uploads, lists and downloads a file byte for byte', async () => {
    const content = Buffer.alloc(300_000, 'abc');
    await client.uploadFrom(Readable.from([content]), 'hello.bin');
    const list = await client.list();
    expect(list.map((f) => [f.name, f.size])).toEqual([['hello.bin', 300_000]]);
    const out = sink();
    await client.downloadTo(out.stream, 'hello.bin');
    expect(out.data().equals(content)).toBe(true);
    expect(t.fs.readFileSync('/hello.bin')?.equals(content)).toBe(true);
  });
});

describe('FtpServer with basic-ftp: commands', () => {
  let t: TestServer;
  let client: Client;

  beforeAll(async () => {
    t = await startTestServer();
  });
  beforeEach(async () => {
    client = await loggedInClient(t);
  });
  afterEach(() => client.close());
  afterAll(async () => {
    await t.close();
  });

  it('REST + STOR at an offset keeps the bytes before it (no zero fill)', async () => {
    t.fs.seedFile('/resume.bin', Buffer.from('0123456789'));
    expect((await client.send('REST 4')).code).toBe(350);
    await client.uploadFrom(Readable.from([Buffer.from('xyz')]), 'resume.bin');
    expect(t.fs.readFileSync('/resume.bin')?.toString()).toBe('0123xyz');
  });

  it('APPE appends to an existing file', async () => {
    t.fs.seedFile('/log.txt', 'one\n');
    await client.appendFrom(Readable.from([Buffer.from('two\n')]), 'log.txt');
    expect(t.fs.readFileSync('/log.txt')?.toString()).toBe('one\ntwo\n');
  });

  it('downloads from a REST offset', async () => {
    t.fs.seedFile('/offset.txt', 'abcdefghij');
    const out = sink();
    await client.downloadTo(out.stream, 'offset.txt', 4);
    expect(out.data().toString()).toBe('efghij');
  });

  it('renames and deletes', async () => {
    t.fs.seedFile('/a.txt', 'a');
    await client.rename('a.txt', 'b.txt');
    expect(t.fs.readFileSync('/a.txt')).toBeNull();
    expect(t.fs.readFileSync('/b.txt')?.toString()).toBe('a');
    await client.remove('b.txt');
    expect(t.fs.readFileSync('/b.txt')).toBeNull();
    const kinds = t.events
      .filter((e) => e.type === 'rename' || e.type === 'delete')
      .map((e) => [e.type, e.outcome]);
    expect(kinds).toEqual([
      ['rename', 'ok'],
      ['delete', 'ok'],
    ]);
  });

  it('lists with MLSD (facts from OPTS MLST) and with LIST -a', async () => {
    t.fs.seedFile('/dir/x.txt', '12345', new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    t.fs.seedFile('/dir/.hidden', 'h');
    await client.cd('dir');
    const mlsd = await client.list();
    expect(mlsd.map((f) => [f.name, f.size]).sort()).toEqual([
      ['.hidden', 1],
      ['x.txt', 5],
    ]);
    expect(mlsd.find((f) => f.name === 'x.txt')?.modifiedAt?.toISOString()).toBe(
      '2024-01-02T03:04:05.000Z',
    );
    const viaList = await client.send('TYPE A').then(async () => {
      client.availableListCommands = ['LIST -a'];
      return client.list();
    });
    expect(viaList.map((f) => f.name).sort()).toEqual(['.hidden', 'x.txt']);
  });

  it('answers SIZE, MDTM and MFMT', async () => {
    t.fs.seedFile('/time.txt', 'hello');
    expect(await client.size('time.txt')).toBe(5);
    const set = await client.send('MFMT 20200102030405 time.txt');
    expect(set.code).toBe(213);
    expect(set.message).toBe('213 Modify=20200102030405; time.txt');
    expect((await client.lastMod('time.txt')).toISOString()).toBe('2020-01-02T03:04:05.000Z');
  });

  it('answers HASH with the selected algorithm', async () => {
    t.fs.seedFile('/h.txt', 'abc');
    const sha256 = await client.send('HASH h.txt');
    expect(sha256.message).toBe(
      '213 SHA-256 0-3 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad h.txt',
    );
    expect((await client.send('OPTS HASH MD5')).code).toBe(200);
    expect((await client.send('HASH h.txt')).message).toBe(
      '213 MD5 0-3 900150983cd24fb0d6963f7d28e17f72 h.txt',
    );
    expect((await client.send('XSHA1 h.txt')).message).toBe(
      '250 a9993e364706816aba3e25717850c26c9cd0d89d',
    );
  });

  it('creates, enters and removes directories; 257 doubles quotes', async () => {
    const made = await client.send('MKD say "hi"');
    expect(made.message).toBe('257 "/say ""hi""" created.');
    await client.cd('say "hi"');
    expect((await client.send('PWD')).message).toBe('257 "/say ""hi""" is the current directory.');
    await client.cdup();
    await client.removeEmptyDir('say "hi"');
    await expect(client.cd('say "hi"')).rejects.toThrow(/550/);
  });

  it('REST past the end of the file (or on a missing file) + STOR is refused with 554, no zero fill', async () => {
    t.fs.seedFile('/short.bin', Buffer.from('0123456789'));
    expect((await client.send('REST 20')).code).toBe(350);
    await expect(
      client.uploadFrom(Readable.from([Buffer.from('xyz')]), 'short.bin'),
    ).rejects.toMatchObject({ code: 554 });
    expect(t.fs.readFileSync('/short.bin')?.toString()).toBe('0123456789');
    expect((await client.send('REST 5')).code).toBe(350);
    await expect(
      client.uploadFrom(Readable.from([Buffer.from('xyz')]), 'absent.bin'),
    ).rejects.toMatchObject({ code: 554 });
    expect(t.fs.readFileSync('/absent.bin')).toBeNull();
    // The offset is spent: a plain STOR afterwards starts from 0.
    await client.uploadFrom(Readable.from([Buffer.from('ok')]), 'absent.bin');
    expect(t.fs.readFileSync('/absent.bin')?.toString()).toBe('ok');
  });

  it('emits an upload event with bytes and sha256', async () => {
    await client.uploadFrom(Readable.from([Buffer.from('audit me')]), 'audit.txt');
    const upload = t.events.find((e) => e.type === 'upload' && e.path === '/audit.txt');
    expect(upload).toMatchObject({
      outcome: 'ok',
      bytes: 8,
      command: 'STOR',
      username: TEST_USER,
      sha256: createHash('sha256').update('audit me').digest('hex'),
    });
  });

  it('hashes a large upload in the hash thread: the event has the file’s SHA-256', async () => {
    // Past the hash batch and the thread's lag limit, so chunks are copied out and held back.
    const content = randomBytes(12 * 1024 * 1024 + 4321);
    await client.uploadFrom(Readable.from([content]), 'large.bin');
    expect(t.fs.readFileSync('/large.bin')?.equals(content)).toBe(true);
    const upload = t.events.find((e) => e.type === 'upload' && e.path === '/large.bin');
    expect(upload).toMatchObject({
      outcome: 'ok',
      bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
  });
});

describe.each([
  ['pumped (openReader, two reused buffers)', true],
  ['streamed (read(), a buffer per chunk)', false],
])('FtpServer with basic-ftp: binary downloads, %s', (_name, positionalReads) => {
  it('sends every byte of a multi-chunk file, also from a REST offset', async () => {
    const fs = new MemoryFileSystem({ positionalReads });
    expect(typeof fs.openReader).toBe(positionalReads ? 'function' : 'undefined');
    const t = await startTestServer({ fs });
    const client = await loggedInClient(t);
    try {
      // 3 chunks of 1 MiB and a partial one, so both buffers are reused.
      const content = randomBytes(3 * 1024 * 1024 + 12_345);
      fs.seedFile('/multi.bin', content);
      const whole = sink();
      await client.downloadTo(whole.stream, 'multi.bin');
      expect(whole.data().equals(content)).toBe(true);
      const tail = sink();
      await client.downloadTo(tail.stream, 'multi.bin', 1_000_001);
      expect(tail.data().equals(content.subarray(1_000_001))).toBe(true);
      const past = sink();
      await client.downloadTo(past.stream, 'multi.bin', content.length);
      expect(past.data().length).toBe(0);
      const downloads = t.events.filter((e) => e.type === 'download');
      expect(downloads.map((e) => [e.outcome, e.bytes])).toEqual([
        ['ok', content.length],
        ['ok', content.length - 1_000_001],
        ['ok', 0],
      ]);
    } finally {
      client.close();
      await t.close();
    }
  });

  it('takes the size from the reader when there is one: no stat() per download', async () => {
    const fs = new MemoryFileSystem({ positionalReads });
    fs.seedFile('/one.bin', Buffer.from('twelve bytes'));
    fs.seedFile('/dir/inside.txt', 'x');
    const stat = jest.spyOn(fs, 'stat');
    const t = await startTestServer({ fs });
    const client = await loggedInClient(t);
    try {
      stat.mockClear();
      const out = sink();
      const reply = await client.downloadTo(out.stream, 'one.bin');
      expect(out.data().toString()).toBe('twelve bytes');
      expect(reply.code).toBe(226);
      expect(stat).toHaveBeenCalledTimes(positionalReads ? 0 : 1);
      // A directory is still refused before any data connection, with 550.
      await expect(client.downloadTo(sink().stream, 'dir')).rejects.toMatchObject({ code: 550 });
      // ASCII keeps the streamed path, and its stat().
      stat.mockClear();
      await client.send('TYPE A');
      await client.downloadTo(sink().stream, 'one.bin');
      expect(stat).toHaveBeenCalledTimes(1);
    } finally {
      client.close();
      await t.close();
    }
  });
});

/** Routes every read of `fs`'s readers through `wrap` (which calls the real read). */
function wrapReads(
  fs: MemoryFileSystem,
  wrap: (read: FileReader['read'], buffer: Buffer, position: number) => Promise<number>,
): void {
  const open = fs.openReader!.bind(fs);
  Object.defineProperty(fs, 'openReader', {
    value: async (path: string): Promise<FileReader> => {
      const reader = await open(path);
      return {
        size: reader.size,
        close: () => reader.close(),
        read: (buffer, position) => wrap(reader.read.bind(reader), buffer, position),
      };
    },
  });
}

describe('FtpServer with basic-ftp: pumped download reads', () => {
  it('reads a small file once, into one buffer of its size: the short read is its end', async () => {
    const fs = new MemoryFileSystem();
    fs.seedFile('/small.bin', Buffer.alloc(4096, 7));
    fs.seedFile('/exact.bin', Buffer.alloc(2 * 1024 * 1024, 9));
    const reads: number[] = [];
    const buffers = new Set<ArrayBufferLike>();
    wrapReads(fs, async (read, buffer, position) => {
      buffers.add(buffer.buffer);
      const n = await read(buffer, position);
      reads.push(n);
      return n;
    });
    const t = await startTestServer({ fs });
    const client = await loggedInClient(t);
    try {
      const small = sink();
      await client.downloadTo(small.stream, 'small.bin');
      expect(small.data().length).toBe(4096);
      expect(reads).toEqual([4096]);
      // One buffer, one byte longer than the file (not two of 64 KiB).
      expect([...buffers].map((b) => b.byteLength)).toEqual([4097]);
      buffers.clear();
      // A size that is a whole number of chunks needs the read that returns 0.
      reads.length = 0;
      const exact = sink();
      await client.downloadTo(exact.stream, 'exact.bin');
      expect(exact.data().length).toBe(2 * 1024 * 1024);
      expect(reads).toEqual([1024 * 1024, 1024 * 1024, 0]);
      // Two buffers used in turn.
      expect([...buffers].map((b) => b.byteLength)).toEqual([1024 * 1024, 1024 * 1024]);
    } finally {
      client.close();
      await t.close();
    }
  });

  it('goes on after a short read before the end (a network file system may give one)', async () => {
    const fs = new MemoryFileSystem();
    const content = randomBytes(4096);
    fs.seedFile('/short.bin', content);
    // At most 1,000 bytes a read, wherever the file ends.
    wrapReads(fs, (read, buffer, position) => read(buffer.subarray(0, 1000), position));
    const t = await startTestServer({ fs });
    const client = await loggedInClient(t);
    try {
      const out = sink();
      await client.downloadTo(out.stream, 'short.bin');
      expect(out.data().equals(content)).toBe(true);
    } finally {
      client.close();
      await t.close();
    }
  });
});

describe('FtpServer with basic-ftp: uploadSha256 off', () => {
  it('stores the upload and reports it without a SHA-256', async () => {
    const t = await startTestServer({ uploadSha256: false });
    const client = await loggedInClient(t);
    try {
      await client.uploadFrom(Readable.from([Buffer.from('no digest')]), 'plain.txt');
      expect(t.fs.readFileSync('/plain.txt')?.toString()).toBe('no digest');
      const upload = t.events.find((e) => e.type === 'upload' && e.path === '/plain.txt');
      expect(upload).toMatchObject({ outcome: 'ok', bytes: 9, sha256: null });
    } finally {
      client.close();
      await t.close();
    }
  });
});

describe('FtpServer with basic-ftp: quota refusal', () => {
  let t: TestServer;
  let client: Client;

  beforeAll(async () => {
    t = await startTestServer({ policy: { reserve: () => Promise.resolve(false) } });
  });
  beforeEach(async () => {
    client = await loggedInClient(t);
  });
  afterEach(() => client.close());
  afterAll(async () => {
    await t.close();
  });

  // Several rounds: the 552 used to lose a race against the RST of the data connection.
  it.each([1, 2, 3, 4, 5])(
    'a refused upload is rejected with 552 on the control connection, not ECONNRESET (round %i)',
    async () => {
      const content = Buffer.alloc(4 * 1024 * 1024, 7);
      await expect(
        client.uploadFrom(Readable.from([content]), 'refused.bin'),
      ).rejects.toMatchObject({ code: 552 });
      expect(t.fs.readFileSync('/refused.bin')).toBeNull();
      // The control connection is still usable after the refusal.
      expect((await client.send('NOOP')).code).toBe(200);
    },
  );
});
