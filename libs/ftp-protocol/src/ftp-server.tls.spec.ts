import { execFile } from 'node:child_process';
import * as net from 'node:net';
import { Readable, Writable } from 'node:stream';
import * as tls from 'node:tls';

import {
  loggedInClient,
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

/** Polls for an event: teardown reports the logout after the socket closed. */
async function eventually<T>(find: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('event not emitted in time');
    await new Promise((r) => setTimeout(r, 20));
  }
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
    const client = await loggedInClient(t, {
      secure: true,
      secureOptions: { rejectUnauthorized: false },
    });
    try {
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

  /** A logged-in explicit FTPS control connection with PROT P and at least one resumable session. */
  async function protectedControl(maxVersion: tls.SecureVersion): Promise<RawClient> {
    const raw = await RawClient.connect(t.port);
    await raw.next();
    await raw.send('AUTH TLS');
    await raw.startTls(undefined, maxVersion);
    await raw.login();
    await raw.send('PBSZ 0');
    expect((await raw.send('PROT P')).code).toBe(200);
    await eventually(() => raw.sessions[0]);
    return raw;
  }

  /** LIST on `raw` over a data connection that offers `session` for resumption. */
  async function listWithSession(
    raw: RawClient,
    session: Buffer,
    maxVersion: tls.SecureVersion,
  ): Promise<{ reused: boolean; reply: number }> {
    const data = await raw.openPassive();
    raw.write('LIST\r\n');
    expect((await raw.next()).code).toBe(150);
    const secureData = tls.connect({
      socket: data,
      rejectUnauthorized: false,
      session,
      maxVersion,
    });
    secureData.on('error', () => undefined);
    secureData.resume();
    const reused = await new Promise<boolean>((resolve, reject) => {
      secureData.once('secureConnect', () => resolve(secureData.isSessionReused()));
      secureData.once('error', reject);
    });
    const reply = (await raw.next()).code;
    secureData.destroy();
    return { reused, reply };
  }

  it.each(['TLSv1.2', 'TLSv1.3'] as const)(
    "over %s a data connection resuming another control connection's TLS session gets 522, its own session 226",
    async (maxVersion) => {
      const a = await protectedControl(maxVersion);
      const b = await protectedControl(maxVersion);
      try {
        // The client really resumed (the listener's ticket keys accepted A's ticket)...
        const foreign = await listWithSession(b, a.sessions[0]!, maxVersion);
        expect(foreign.reused).toBe(true);
        // ...but the session belongs to control connection A, not B.
        expect(foreign.reply).toBe(522);
        const own = await listWithSession(b, b.sessions[0]!, maxVersion);
        expect(own).toEqual({ reused: true, reply: 226 });
        // A's own session still works on A.
        expect(await listWithSession(a, a.sessions[0]!, maxVersion)).toEqual({
          reused: true,
          reply: 226,
        });
      } finally {
        a.close();
        b.close();
      }
    },
  );

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

describe('TLS details (raw)', () => {
  let t: TestServer;

  beforeAll(async () => {
    const { key, cert } = await testCertificate();
    t = await startTestServer({ tls: { mode: 'explicit', key, cert }, dataTimeoutMs: 300 });
    t.fs.seedFile('/n.txt', 'notify');
  });
  afterAll(async () => {
    await t.close();
  });

  async function protectedSession(maxVersion: tls.SecureVersion = 'TLSv1.3'): Promise<RawClient> {
    const raw = await RawClient.connect(t.port);
    await raw.next();
    await raw.send('AUTH TLS');
    const secure = tls.connect({ socket: raw.socket, rejectUnauthorized: false, maxVersion });
    await new Promise<void>((r) => secure.once('secureConnect', () => r()));
    raw.socket.removeAllListeners('data');
    (raw as unknown as { socket: net.Socket }).socket = secure;
    (raw as unknown as { listen: (s: net.Socket) => void }).listen(secure);
    await raw.login();
    await raw.send('PBSZ 0');
    await raw.send('PROT P');
    return raw;
  }

  it('sends TLS close_notify before closing a data connection', async () => {
    const raw = await protectedSession('TLSv1.2');
    const reply = await raw.send('EPSV');
    const port = Number(/\|\|\|(\d+)\|/.exec(reply.text)![1]);
    // A byte-recording proxy sits between the TLS client and the data port.
    const fromServer: Buffer[] = [];
    const proxy = net.createServer((inbound) => {
      const outbound = net.connect({ host: '127.0.0.1', port });
      outbound.on('data', (c: Buffer) => fromServer.push(c));
      outbound.pipe(inbound);
      inbound.pipe(outbound);
      inbound.on('error', () => undefined);
      outbound.on('error', () => undefined);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const plain = net.connect({
      host: '127.0.0.1',
      port: (proxy.address() as net.AddressInfo).port,
    });
    await new Promise<void>((r) => plain.once('connect', () => r()));
    expect((await raw.send('RETR n.txt')).code).toBe(150);
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false, maxVersion: 'TLSv1.2' });
    const chunks: Buffer[] = [];
    secure.on('data', (c: Buffer) => chunks.push(c));
    await new Promise<void>((r) => secure.once('end', () => r()));
    expect(Buffer.concat(chunks).toString()).toBe('notify');
    expect((await raw.next()).code).toBe(226);
    // Walk the TLS 1.2 records the server sent: the last one must be an alert (close_notify).
    const bytes = Buffer.concat(fromServer);
    let offset = 0;
    let lastType = -1;
    while (offset + 5 <= bytes.length) {
      lastType = bytes[offset];
      offset += 5 + bytes.readUInt16BE(offset + 3);
    }
    expect(offset).toBe(bytes.length);
    expect(lastType).toBe(21); // ContentType.alert
    secure.destroy();
    proxy.close();
    raw.close();
  });

  it('refuses client-initiated renegotiation', async () => {
    const raw = await protectedSession('TLSv1.2');
    const secure = raw.socket as tls.TLSSocket;
    const result = await new Promise<Error | null>((resolve) => {
      secure.on('error', (e) => resolve(e));
      const started = secure.renegotiate({}, (error) => resolve(error ?? null));
      if (!started) resolve(new Error('not started'));
    });
    // The server answers the renegotiation attempt with a no_renegotiation alert.
    expect(String(result)).toMatch(/no renegotiation/);
    raw.close();
  });

  it('a passive data connection that never comes gets 425 after the accept timeout', async () => {
    const raw = await protectedSession();
    expect((await raw.send('EPSV')).code).toBe(229);
    expect((await raw.send('RETR n.txt')).code).toBe(425);
    raw.close();
  });

  it('Python ftplib over TLS 1.3 can unwrap() its data connection (session ticket sent before data)', async () => {
    // ftplib calls unwrap() after every listing; it failed with SHUTDOWN_WHILE_IN_INIT
    // when listing bytes were written ahead of the TLS 1.3 NewSessionTicket.
    const script = [
      'import ftplib, ssl, sys',
      'ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE',
      'f = ftplib.FTP_TLS(context=ctx, timeout=10)',
      'f.connect("127.0.0.1", int(sys.argv[1])); f.login("alice", "secret"); f.prot_p()',
      'print(",".join(sorted(f.nlst())))',
      'f.quit()',
    ].join('\n');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'python3',
        ['-c', script, String(t.port)],
        { timeout: 20_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    expect(out.trim()).toBe('n.txt');
  });

  it('the logout event after QUIT on an explicit FTPS session keeps its TLS version', async () => {
    const raw = await RawClient.connect(t.port);
    await raw.next();
    expect((await raw.send('AUTH TLS')).code).toBe(234);
    await raw.startTls();
    await raw.send(`USER ${TEST_USER}`);
    expect((await raw.send(`PASS ${TEST_PASSWORD}`)).code).toBe(230);
    const login = t.events.filter((e) => e.type === 'login').at(-1);
    expect(login?.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect((await raw.send('QUIT')).code).toBe(221);
    await raw.waitClosed();
    const logout = await eventually(() =>
      t.events.find((e) => e.type === 'logout' && e.sessionId === login?.sessionId),
    );
    expect(logout.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(logout.tlsVersion).toBe(login?.tlsVersion);
  });

  it('CCC is refused with 533 and PROT S with 536', async () => {
    const raw = await protectedSession();
    expect((await raw.send('CCC')).code).toBe(533);
    expect((await raw.send('PROT S')).code).toBe(536);
    raw.close();
  });
});

describe('implicit FTPS with basic-ftp', () => {
  let t: TestServer;

  beforeAll(async () => {
    const { key, cert } = await testCertificate();
    // requireSessionReuse: the implicit control session is bound like an AUTH TLS one.
    t = await startTestServer({ tls: { mode: 'implicit', key, cert, requireSessionReuse: true } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('transfers over implicit TLS, data connections resuming the control session', async () => {
    const client = await loggedInClient(t, {
      secure: 'implicit',
      secureOptions: { rejectUnauthorized: false },
    });
    try {
      await client.uploadFrom(Readable.from([Buffer.from('implicit')]), 'i.txt');
      const out = collect();
      await client.downloadTo(out.stream, 'i.txt');
      expect(out.data().toString()).toBe('implicit');
    } finally {
      client.close();
    }
  });

  it('the logout event of an implicit FTPS session keeps its TLS version', async () => {
    const client = await loggedInClient(t, {
      secure: 'implicit',
      secureOptions: { rejectUnauthorized: false },
    });
    const login = t.events.filter((e) => e.type === 'login').at(-1);
    client.close();
    const logout = await eventually(() =>
      t.events.find((e) => e.type === 'logout' && e.sessionId === login?.sessionId),
    );
    expect(logout.tlsVersion).toMatch(/^TLSv1\.[23]$/);
  });
});
