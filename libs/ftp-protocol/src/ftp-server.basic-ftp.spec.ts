import { Readable, Writable } from 'node:stream';

import { Client } from 'basic-ftp';

import {
  startTestServer,
  TEST_PASSWORD,
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
    client = new Client(5000);
    await client.access({
      host: '127.0.0.1',
      port: t.port,
      user: TEST_USER,
      password: TEST_PASSWORD,
    });
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
