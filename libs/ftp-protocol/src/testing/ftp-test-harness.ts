/* Test support only (never exported from index.ts): a server on 127.0.0.1:0
 * with the in-memory FileSystem, and a raw control-connection client. */
import * as net from 'node:net';
import * as tls from 'node:tls';

import { type AccessOptions, Client } from 'basic-ftp';
import { generate } from 'selfsigned';

import { FtpServer } from '../ftp-server';
import { MemoryFileSystem } from '../memory/memory-file-system';

export { MemoryFileSystem };
import type { Principal, SessionPolicy } from '../ports/authenticator.port';
import type { FtpEvent } from '../ports/event-sink.port';
import type { FtpServerOptions } from '../ports/server-options';

export interface TestServer {
  server: FtpServer;
  port: number;
  fs: MemoryFileSystem;
  events: FtpEvent[];
  close(): Promise<void>;
}

export interface TestServerOptions extends Partial<FtpServerOptions> {
  policy?: SessionPolicy;
  requireTlsForUser?: boolean;
  fs?: MemoryFileSystem;
}

export const TEST_USER = 'alice';
export const TEST_PASSWORD = 'secret';

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const fs = options.fs ?? new MemoryFileSystem();
  const events: FtpEvent[] = [];
  const server = new FtpServer({
    failedLoginDelayMs: 10,
    authenticator: {
      authenticate: (request) => {
        if (request.username === TEST_USER && request.password === TEST_PASSWORD) {
          const principal: Principal = {
            userId: 'u1',
            username: TEST_USER,
            fileSystem: fs,
            policy: options.policy,
            requireTls: options.requireTlsForUser,
          };
          return Promise.resolve({ ok: true as const, principal });
        }
        return Promise.resolve({
          ok: false as const,
          reason: 'bad-credentials' as const,
          message: 'Login incorrect.',
        });
      },
    },
    events: { emit: (event) => void events.push(event) },
    ...options,
  });
  const { port } = await server.listen();
  return { server, port, fs, events, close: () => server.close({ graceMs: 100 }) };
}

/** A basic-ftp client logged in to `t` as the test user (closed again if the login fails). */
export async function loggedInClient(
  t: TestServer,
  access: Partial<AccessOptions> = {},
): Promise<Client> {
  const client = new Client(5000);
  try {
    await client.access({
      host: '127.0.0.1',
      port: t.port,
      user: TEST_USER,
      password: TEST_PASSWORD,
      ...access,
    });
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

export interface Reply {
  code: number;
  text: string;
  lines: string[];
}

/** A control connection driven line by line (for quirks real clients do not expose). */
export class RawClient {
  private buffer = '';
  private readonly replies: Reply[] = [];
  private waiters: Array<(reply: Reply) => void> = [];
  private partial: string[] = [];
  closed = false;
  private closeWaiters: Array<() => void> = [];

  private constructor(public socket: net.Socket) {
    this.listen(socket);
  }

  static async connect(port: number, implicitTls = false): Promise<RawClient> {
    const socket = implicitTls
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once(implicitTls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  private listen(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => this.onData(data));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.closeWaiters) w();
    });
  }

  private onData(data: string): void {
    this.buffer += data;
    let i: number;
    while ((i = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 2);
      this.partial.push(line);
      const m = /^(\d{3})([ -])/.exec(line);
      const first = /^(\d{3})-/.exec(this.partial[0]);
      if (m && m[2] === ' ' && (!first || first[1] === m[1])) {
        const reply = { code: Number(m[1]), text: this.partial.join('\n'), lines: this.partial };
        this.partial = [];
        const waiter = this.waiters.shift();
        if (waiter) waiter(reply);
        else this.replies.push(reply);
      }
    }
  }

  /** Resumable TLS sessions the server issued on this control connection (newest last). */
  readonly sessions: Buffer[] = [];

  /** Upgrades to TLS after a 234 (explicit FTPS). */
  async startTls(session?: Buffer, maxVersion?: tls.SecureVersion): Promise<tls.TLSSocket> {
    this.socket.removeAllListeners('data');
    const secure = tls.connect({
      socket: this.socket,
      rejectUnauthorized: false,
      session,
      maxVersion,
    });
    // Listening before the handshake ends: TLS 1.3 tickets can come with the last flight.
    secure.on('session', (ticket: Buffer) => this.sessions.push(ticket));
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
    return secure;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  next(timeoutMs = 5000): Promise<Reply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply')), timeoutMs);
      this.waiters.push((reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  async send(line: string): Promise<Reply> {
    this.write(`${line}\r\n`);
    return this.next();
  }

  async login(): Promise<void> {
    await this.send(`USER ${TEST_USER}`);
    const reply = await this.send(`PASS ${TEST_PASSWORD}`);
    if (reply.code !== 230) throw new Error(`login failed: ${reply.text}`);
  }

  /** Sends PASV or EPSV and connects the data socket. */
  async openPassive(): Promise<net.Socket> {
    const reply = await this.send('EPSV');
    const m = /\|\|\|(\d+)\|/.exec(reply.text);
    if (!m) throw new Error(`EPSV failed: ${reply.text}`);
    const socket = net.connect({ host: '127.0.0.1', port: Number(m[1]) });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return socket;
  }

  waitClosed(timeoutMs = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not closed')), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Reads a socket to its end. */
export function readAll(socket: net.Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

let certificate: Promise<{ key: string; cert: string }> | null = null;

/** A self-signed certificate for 127.0.0.1/localhost, generated once per test file. */
export function testCertificate(): Promise<{ key: string; cert: string }> {
  certificate ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    notAfterDate: new Date(Date.now() + 2 * 24 * 3600 * 1000),
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return certificate;
}
