import { Readable, Writable } from 'node:stream';
import * as tls from 'node:tls';

import { Client } from 'basic-ftp';

import {
  RawClient,
  startTestServer,
  TEST_PASSWORD,
  TEST_USER,
  testCertificate,
  type TestServer,
} from './testing/ftp-test-harness';

function collect(): { stream: Writable; data: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { stream, data: () => Buffer.concat(chunks) };
}

describe('explicit FTPS (AUTH TLS) with basic-ftp', () => {
  let t: TestServer;

  beforeAll(async () => {
    const { key, cert } = await testCertificate();
    // requireSessionReuse: basic-ftp resumes the control session on data connections.
    t = await startTestServer({
      tls: { mode: 'explicit', key, cert, requireSessionReuse: true },
      requireTls: true,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('uploads, lists and downloads over PROT P with a resumed TLS session', async () => {
    const client = new Client(5000);
    try {
      await client.access({
        host: '127.0.0.1',
        port: t.port,
        user: TEST_USER,
        password: TEST_PASSWORD,
        secure: true,
        secureOptions: { rejectUnauthorized: false },
      });
      const content = Buffer.alloc(200_000, 'tls!');
      await client.uploadFrom(Readable.from([content]), 'secret.bin');
      expect((await client.list()).map((f) => f.name)).toEqual(['secret.bin']);
      const out = collect();
      await client.downloadTo(out.stream, 'secret.bin');
      expect(out.data().equals(content)).toBe(true);
      const login = t.events.find((e) => e.type === 'login');
      expect(login?.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    } finally {
      client.close();
    }
  });

  it('requireTls refuses USER before AUTH TLS with 534', async () => {
    const raw = await RawClient.connect(t.port);
    await raw.next();
    expect((await raw.send(`USER ${TEST_USER}`)).code).toBe(534);
    raw.close();
  });

  it('requireTls refuses a transfer without PROT P with 521', async () => {
    const raw = await RawClient.connect(t.port);
    await raw.next();
    expect((await raw.send('AUTH TLS')).code).toBe(234);
    await raw.startTls();
    await raw.login();
    expect((await raw.send('PBSZ 0')).code).toBe(200);
    expect((await raw.send('PROT C')).code).toBe(200);
    await raw.openPassive();
    expect((await raw.send('LIST')).code).toBe(521);
    raw.close();
  });

  it('a data connection that does not resume the session gets 522 when reuse is required', async () => {
    const raw = await RawClient.connect(t.port);
    await raw.next();
    await raw.send('AUTH TLS');
    await raw.startTls();
    await raw.login();
    await raw.send('PBSZ 0');
    await raw.send('PROT P');
    const data = await raw.openPassive();
    raw.write('LIST\r\n');
    expect((await raw.next()).code).toBe(150);
    // A fresh TLS session (no session ticket passed): not a resumption.
    const secureData = tls.connect({ socket: data, rejectUnauthorized: false });
    secureData.on('error', () => undefined);
    expect((await raw.next()).code).toBe(522);
    secureData.destroy();
    raw.close();
  });

  it('AUTH TLS pipelined with FEAT in one segment never answers FEAT inside TLS (injection)', async () => {
    const raw = await RawClient.connect(t.port);
    await raw.next();
    raw.write('AUTH TLS\r\nFEAT\r\n');
    expect((await raw.next()).code).toBe(234);
    await raw.startTls();
    // The first reply inside TLS must be the answer to our NOOP, not a FEAT answer.
    expect((await raw.send('NOOP')).code).toBe(200);
    raw.close();
  });

  it('replaces the certificate without a restart', async () => {
    const { key, cert } = await testCertificate();
    expect(() => t.server.updateTls({ key, cert })).not.toThrow();
    expect(() => t.server.updateTls({ key: 'bad', cert: 'bad' })).toThrow();
    const raw = await RawClient.connect(t.port);
    await raw.next();
    await raw.send('AUTH TLS');
    const secure = await raw.startTls();
    expect(secure.getPeerCertificate().subject?.CN).toBe('localhost');
    raw.close();
  });
});

describe('implicit FTPS with basic-ftp', () => {
  let t: TestServer;

  beforeAll(async () => {
    const { key, cert } = await testCertificate();
    t = await startTestServer({ tls: { mode: 'implicit', key, cert } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('transfers over implicit TLS', async () => {
    const client = new Client(5000);
    try {
      await client.access({
        host: '127.0.0.1',
        port: t.port,
        user: TEST_USER,
        password: TEST_PASSWORD,
        secure: 'implicit',
        secureOptions: { rejectUnauthorized: false },
      });
      await client.uploadFrom(Readable.from([Buffer.from('implicit')]), 'i.txt');
      const out = collect();
      await client.downloadTo(out.stream, 'i.txt');
      expect(out.data().toString()).toBe('implicit');
    } finally {
      client.close();
    }
  });
});
