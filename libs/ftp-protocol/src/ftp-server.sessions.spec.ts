import { readdirSync } from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';

import {
  MemoryFileSystem,
  RawClient,
  readAll,
  startTestServer,
  TEST_PASSWORD,
  TEST_USER,
  testCertificate,
  type TestServer,
} from './testing/ftp-test-harness';

async function connected(t: TestServer): Promise<RawClient> {
  const raw = await RawClient.connect(t.port);
  expect((await raw.next()).code).toBe(220);
  return raw;
}

describe('session limits, timeouts and server API', () => {
  const servers: TestServer[] = [];
  const clients: RawClient[] = [];
  async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
    const t = await startTestServer(options);
    servers.push(t);
    return t;
  }
  async function client(t: TestServer): Promise<RawClient> {
    const raw = await connected(t);
    clients.push(raw);
    return raw;
  }
  /** Logged in; with `secure`, over AUTH TLS with PROT P. */
  async function loggedIn(t: TestServer, secure: boolean): Promise<RawClient> {
    const raw = await client(t);
    if (secure) {
      expect((await raw.send('AUTH TLS')).code).toBe(234);
      await raw.startTls();
    }
    await raw.login();
    if (secure) {
      await raw.send('PBSZ 0');
      expect((await raw.send('PROT P')).code).toBe(200);
    }
    return raw;
  }
  function protect(plain: net.Socket): net.Socket {
    return tls.connect({ socket: plain, rejectUnauthorized: false }) as unknown as net.Socket;
  }
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers.splice(0)) await s.close();
  });

  it('after N failed passwords the session gets 421 and is closed', async () => {
    const t = await server({ maxLoginFailures: 2 });
    const raw = await client(t);
    await raw.send(`USER ${TEST_USER}`);
    expect((await raw.send('PASS bad')).code).toBe(530);
    await raw.send(`USER ${TEST_USER}`);
    expect((await raw.send('PASS bad')).code).toBe(421);
    await raw.waitClosed();
  });

  it('a failed password is answered only after the configured delay', async () => {
    const t = await server({ failedLoginDelayMs: 300 });
    const raw = await client(t);
    await raw.send(`USER ${TEST_USER}`);
    const started = Date.now();
    expect((await raw.send('PASS bad')).code).toBe(530);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('the login timeout closes a session that never logs in with 421', async () => {
    const t = await server({ loginTimeoutMs: 200 });
    const raw = await client(t);
    expect((await raw.next()).code).toBe(421);
    await raw.waitClosed();
  });

  it('the idle timeout never fires while a transfer moves data', async () => {
    // 40 KiB at 40 KiB/s with a 1 s burst and a 300 ms idle timeout: the control
    // connection is silent for longer than the timeout while data flows.
    const t = await server({ idleTimeoutMs: 300, policy: { bandwidth: { download: 20 * 1024 } } });
    t.fs.seedFile('/slow.bin', Buffer.alloc(40 * 1024, 7));
    const raw = await client(t);
    await raw.login();
    const data = await raw.openPassive();
    const body = readAll(data);
    const started = Date.now();
    expect((await raw.send('RETR slow.bin')).code).toBe(150);
    expect((await raw.next(10_000)).code).toBe(226);
    expect(Date.now() - started).toBeGreaterThan(600);
    expect((await body).length).toBe(40 * 1024);
    // Idle afterwards: now it fires.
    expect((await raw.next(5000)).code).toBe(421);
  });

  it('the server-wide bandwidth limit is shared by all sessions of the listener', async () => {
    // 2 x 24 KiB at 16 KiB/s shared, with a one-second (16 KiB) burst: at least 2 s.
    const t = await server({ bandwidth: { download: 16 * 1024 } });
    t.fs.seedFile('/shared.bin', Buffer.alloc(24 * 1024, 3));
    const started = Date.now();
    await Promise.all(
      [0, 1].map(async () => {
        const raw = await client(t);
        await raw.login();
        const data = await raw.openPassive();
        const body = readAll(data);
        expect((await raw.send('RETR shared.bin')).code).toBe(150);
        expect((await raw.next(10_000)).code).toBe(226);
        expect((await body).length).toBe(24 * 1024);
      }),
    );
    expect(Date.now() - started).toBeGreaterThan(1800);
  });

  it('limits sessions per listener with 421', async () => {
    const t = await server({ maxSessions: 2 });
    await client(t);
    await client(t);
    const third = await RawClient.connect(t.port);
    clients.push(third);
    expect((await third.next()).code).toBe(421);
    await third.waitClosed();
  });

  it('limits sessions per IP with 421', async () => {
    const t = await server({ maxSessionsPerIp: 1 });
    await client(t);
    const second = await RawClient.connect(t.port);
    clients.push(second);
    expect((await second.next()).code).toBe(421);
    await second.waitClosed();
  });

  it('sessions() reports live sessions; kick() and kickUser() close them with 421', async () => {
    const t = await server();
    const a = await client(t);
    await a.login();
    const b = await client(t);
    await b.login();
    const snapshots = t.server.sessions();
    expect(snapshots).toHaveLength(2);
    expect(snapshots[0]).toMatchObject({
      username: TEST_USER,
      userId: 'u1',
      client: { address: '127.0.0.1' },
    });
    expect(t.server.kick(snapshots[0].id)).toBe(true);
    expect((await a.next()).code).toBe(421);
    await a.waitClosed();
    expect(t.server.kickUser('u1')).toBe(1);
    expect((await b.next()).code).toBe(421);
    await b.waitClosed();
  });

  it('graceful shutdown lets a running transfer finish, then sends 421', async () => {
    const t = await startTestServer({ policy: { bandwidth: { download: 50 * 1024 } } });
    t.fs.seedFile('/drain.bin', Buffer.alloc(80 * 1024, 1));
    const raw = await client(t);
    await raw.login();
    const idle = await client(t);
    await idle.login();
    const data = await raw.openPassive();
    const body = readAll(data);
    expect((await raw.send('RETR drain.bin')).code).toBe(150);
    const closing = t.server.close({ graceMs: 5000 });
    expect((await raw.next(5000)).code).toBe(226);
    expect((await raw.next(5000)).code).toBe(421);
    expect((await idle.next(5000)).code).toBe(421);
    await closing;
    expect((await body).length).toBe(80 * 1024);
    // New connections are refused after close.
    await expect(RawClient.connect(t.port)).rejects.toThrow();
  });

  it('a refused policy check answers 550 with the reason', async () => {
    const t = await server({
      policy: {
        authorize: (op, path) =>
          op === 'delete' && path.startsWith('/keep') ? 'Deleting in /keep is not allowed.' : true,
      },
    });
    t.fs.seedFile('/keep/x', 'x');
    const raw = await client(t);
    await raw.login();
    expect((await raw.send('DELE /keep/x')).text).toBe('550 Deleting in /keep is not allowed.');
    expect(t.fs.readFileSync('/keep/x')?.toString()).toBe('x');
  });

  it('an upload over quota is aborted with 552 and nothing is left under the final name', async () => {
    let reserved = 0;
    const released: number[] = [];
    const t = await server({
      policy: {
        reserve: (bytes) => {
          if (reserved + bytes > 6 * 1024 * 1024) return Promise.resolve(false);
          reserved += bytes;
          return Promise.resolve(true);
        },
        release: (bytes) => void released.push(bytes),
      },
    });
    const raw = await client(t);
    await raw.login();
    const data = await raw.openPassive();
    data.on('error', () => undefined);
    expect((await raw.send('STOR big.bin')).code).toBe(150);
    data.write(Buffer.alloc(10 * 1024 * 1024, 1));
    data.end();
    expect((await raw.next()).code).toBe(552);
    expect(t.fs.readFileSync('/big.bin')).toBeNull();
    expect(released).toEqual([reserved]);
    expect(t.events.find((e) => e.type === 'upload')?.outcome).toBe('failed');
  });

  it('passive ports come from the configured range, are distinct across 100 parallel sessions and are released after use', async () => {
    const t = await server({ passivePorts: { min: 29000, max: 29149 } });
    const raws = await Promise.all(Array.from({ length: 100 }, () => client(t)));
    await Promise.all(raws.map((r) => r.login()));
    const ports = await Promise.all(
      raws.map(async (r) => Number(/\|\|\|(\d+)\|/.exec((await r.send('EPSV')).text)![1])),
    );
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(29000);
      expect(port).toBeLessThanOrEqual(29149);
    }
    expect(new Set(ports).size).toBe(100);
    expect(t.server.portPool.used).toBe(100);
    for (const r of raws) expect((await r.send('ABOR')).code).toBe(225);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.server.portPool.used).toBe(0);
  });

  it.each([false, true])(
    'a passive port returns to the pool once its data connection arrived (TLS %s)',
    async (secure) => {
      const { key, cert } = await testCertificate();
      const t = await server({
        passivePorts: { min: 29200, max: 29202 },
        tls: { mode: 'explicit', key, cert },
      });
      t.fs.seedFile('/p.txt', 'port');
      const raw = await loggedIn(t, secure);
      // Twice the range: a port held after its download would run the pool dry.
      for (let i = 0; i < 6; i++) {
        const plain = await raw.openPassive();
        expect((await raw.send('RETR p.txt')).code).toBe(150);
        const data = secure ? protect(plain) : plain;
        const body = readAll(data);
        expect((await raw.next()).code).toBe(226);
        expect((await body).toString()).toBe('port');
        expect(t.server.portPool.used).toBe(0);
      }
    },
  );

  it.each([false, true])(
    'the server closes each data connection once the client has closed it (TLS %s)',
    async (secure) => {
      // A download's socket was accepted paused: unless the server reads the
      // client's FIN it never closes, and each RETR or LIST leaked a descriptor.
      const openDescriptors = (): number => readdirSync('/proc/self/fd').length;
      const { key, cert } = await testCertificate();
      const t = await server({ tls: { mode: 'explicit', key, cert } });
      t.fs.seedFile('/d.txt', 'descriptor');
      const raw = await loggedIn(t, secure);
      const before = openDescriptors();
      for (const command of ['RETR d.txt', 'LIST', 'RETR d.txt', 'MLSD', 'RETR d.txt', 'NLST']) {
        const plain = await raw.openPassive();
        expect((await raw.send(command)).code).toBe(150);
        const data = secure ? protect(plain) : plain;
        const body = readAll(data);
        expect((await raw.next()).code).toBe(226);
        expect((await body).length).toBeGreaterThan(0);
      }
      // Both ends of six data connections gone: back to where it started.
      const deadline = Date.now() + 5000;
      while (openDescriptors() > before && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(openDescriptors()).toBeLessThanOrEqual(before);
    },
  );

  it('150 is sent before the data TLS handshake (lftp and ftplib handshake only after it)', async () => {
    const { key, cert } = await testCertificate();
    const t = await server({ tls: { mode: 'explicit', key, cert } });
    t.fs.seedFile('/t.txt', 'over tls');
    const raw = await client(t);
    expect((await raw.send('AUTH TLS')).code).toBe(234);
    await raw.startTls();
    await raw.login();
    await raw.send('PBSZ 0');
    expect((await raw.send('PROT P')).code).toBe(200);
    const plain = await raw.openPassive();
    // Like ftplib: send RETR, wait for 150, only then start TLS on the data socket.
    expect((await raw.send('RETR t.txt')).code).toBe(150);
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false });
    const body = readAll(secure as unknown as net.Socket);
    expect((await raw.next()).code).toBe(226);
    expect((await body).toString()).toBe('over tls');
    expect(t.events.find((e) => e.type === 'download')?.tlsVersion).toMatch(/^TLSv1\.[23]$/);
  });

  it('an unavailable authenticator (database down) answers 421 and closes, never logs in', async () => {
    const t = await server({
      authenticator: {
        authenticate: () =>
          Promise.resolve({
            ok: false,
            reason: 'unavailable',
            message: 'Service not available, try later.',
          }),
      },
    });
    const raw = await client(t);
    await raw.send('USER someone');
    expect((await raw.send('PASS pw')).text).toBe('421 Service not available, try later.');
    await raw.waitClosed();
  });

  it('a login refused because the user requires TLS calls the policy onLogout hook once', async () => {
    let loggedOut = 0;
    const t = await server({
      requireTlsForUser: true,
      policy: { onLogout: () => void loggedOut++ },
    });
    const raw = await client(t);
    await raw.send(`USER ${TEST_USER}`);
    expect((await raw.send(`PASS ${TEST_PASSWORD}`)).code).toBe(534);
    expect(loggedOut).toBe(1);
    expect(t.events.filter((e) => e.type === 'login')).toHaveLength(0);
    raw.close();
    await raw.waitClosed();
    await new Promise((r) => setTimeout(r, 100));
    // Never logged in: the disconnect must not call it a second time.
    expect(loggedOut).toBe(1);
    expect(t.events.filter((e) => e.type === 'logout')).toHaveLength(0);
  });

  it('a login whose client disconnects during authentication calls the policy onLogout hook once', async () => {
    let loggedOut = 0;
    let authenticated!: () => void;
    const answered = new Promise<void>((resolve) => (authenticated = resolve));
    const fs = new MemoryFileSystem();
    const t = await server({
      authenticator: {
        authenticate: async () => {
          // Answers only after the client has gone.
          await new Promise((r) => setTimeout(r, 200));
          authenticated();
          return {
            ok: true as const,
            principal: {
              userId: 'u1',
              username: TEST_USER,
              fileSystem: fs,
              policy: { onLogout: () => void loggedOut++ },
            },
          };
        },
      },
    });
    const raw = await client(t);
    await raw.send(`USER ${TEST_USER}`);
    raw.write(`PASS ${TEST_PASSWORD}\r\n`);
    await new Promise((r) => setTimeout(r, 50));
    raw.close();
    await answered;
    await new Promise((r) => setTimeout(r, 100));
    expect(loggedOut).toBe(1);
  });

  it('calls the policy onLogout hook and emits logout when the client disconnects', async () => {
    let loggedOut = 0;
    const t = await server({ policy: { onLogout: () => void loggedOut++ } });
    const raw = await client(t);
    await raw.login();
    raw.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(loggedOut).toBe(1);
    expect(t.events.filter((e) => e.type === 'logout')).toHaveLength(1);
    expect(t.server.sessionCount).toBe(0);
  });

  it('a dual-stack listener (::) serves an IPv4 client in PASV and PORT mode', async () => {
    const t = await server({ host: '::' });
    t.fs.seedFile('/ds.txt', 'dual');
    const raw = await client(t);
    await raw.login();
    const pasv = await raw.send('PASV');
    expect(pasv.text).toMatch(/\(127,0,0,1,\d+,\d+\)/);
    const m = /(\d+),(\d+)\)/.exec(pasv.text)!;
    const passive = net.connect({ host: '127.0.0.1', port: Number(m[1]) * 256 + Number(m[2]) });
    const viaPasv = readAll(passive);
    expect((await raw.send('RETR ds.txt')).code).toBe(150);
    expect((await raw.next()).code).toBe(226);
    expect((await viaPasv).toString()).toBe('dual');
    const listener = net.createServer();
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as net.AddressInfo).port;
    const viaPort = new Promise<Buffer>((resolve) =>
      listener.once('connection', (s) => resolve(readAll(s))),
    );
    expect((await raw.send(`PORT 127,0,0,1,${port >> 8},${port & 255}`)).code).toBe(200);
    expect((await raw.send('RETR ds.txt')).code).toBe(150);
    expect((await raw.next()).code).toBe(226);
    expect((await viaPort).toString()).toBe('dual');
    listener.close();
  });

  it('PASS for an unknown user gets the same 530 text as a wrong password', async () => {
    const t = await server();
    const raw = await client(t);
    await raw.send('USER nobody');
    const unknown = await raw.send('PASS x');
    await raw.send(`USER ${TEST_USER}`);
    const wrong = await raw.send(`PASS ${TEST_PASSWORD}x`);
    expect(unknown.text).toBe(wrong.text);
  });
});
