import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { type FtpEvent, FtpServer, type LoginResult } from '@wharf/ftp-protocol';
import { LocalFileSystem } from '@wharf/storage';
import { generate } from 'selfsigned';

export const INTEROP_USER = 'interop';
// Letters and digits only, so it travels unescaped in curl/lftp/rclone URLs and arguments.
export const INTEROP_PASSWORD = 'Interop4Wharf';

export type InteropMode = 'plain' | 'ftps';
export const MODES: readonly InteropMode[] = ['plain', 'ftps'];

export interface InteropServer {
  port: number;
  mode: InteropMode;
  /** The user's home on disk (the LocalFileSystem root). */
  home: string;
  /** Scratch directory for the client's local files. */
  local: string;
  events: FtpEvent[];
  close(): Promise<void>;
}

let certificate: Promise<{ key: string; cert: string }> | undefined;

/** One self-signed pair per test file; clients are told to skip verification. */
function testCertificate(): Promise<{ key: string; cert: string }> {
  certificate ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 2 * 24 * 3600 * 1000),
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return certificate;
}

/**
 * The engine on 127.0.0.1, port 0, serving a temp directory through the real
 * LocalFileSystem (one instance per session, as the worker does). Explicit
 * FTPS in `ftps` mode; the clients then demand TLS on control and data.
 */
export interface InteropServerOptions {
  /** `implicit` = TLS from the first byte (ftps:// URLs); only with mode `ftps`. Default explicit. */
  tlsMode?: 'explicit' | 'implicit';
  /** Data connections must resume the control connection's TLS session (522 otherwise). */
  requireSessionReuse?: boolean;
}

export async function startInteropServer(
  mode: InteropMode,
  options: InteropServerOptions = {},
): Promise<InteropServer> {
  const sandbox = await mkdtemp(path.join(os.tmpdir(), 'wharf-interop-'));
  const home = path.join(sandbox, 'home');
  const local = path.join(sandbox, 'local');
  await mkdir(home);
  await mkdir(local);
  const events: FtpEvent[] = [];
  const tls =
    mode === 'ftps'
      ? {
          mode: options.tlsMode ?? 'explicit',
          requireSessionReuse: options.requireSessionReuse ?? false,
          ...(await testCertificate()),
        }
      : undefined;
  const server = new FtpServer({
    host: '127.0.0.1',
    port: 0,
    tls,
    failedLoginDelayMs: 10,
    authenticator: {
      authenticate: (request): Promise<LoginResult> => {
        if (request.username === INTEROP_USER && request.password === INTEROP_PASSWORD) {
          return Promise.resolve({
            ok: true,
            principal: {
              userId: 'interop-user',
              username: INTEROP_USER,
              fileSystem: new LocalFileSystem(home, { fsync: false }),
            },
          });
        }
        return Promise.resolve({
          ok: false,
          reason: 'bad-credentials',
          message: 'Login incorrect.',
        });
      },
    },
    events: { emit: (event) => void events.push(event) },
  });
  const { port } = await server.listen();
  return {
    port,
    mode,
    home,
    local,
    events,
    close: async () => {
      await server.close({ graceMs: 500 });
      await rm(sandbox, { recursive: true, force: true });
    },
  };
}

/** Random content with a size that is not a multiple of any buffer size. */
export async function makeFile(file: string, bytes: number): Promise<Buffer> {
  const data = randomBytes(bytes);
  await writeFile(file, data);
  return data;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256File(file: string): Promise<string> {
  return sha256(await readFile(file));
}

/**
 * Every successful login of the run used TLS in `ftps` mode and none did in
 * `plain` mode (the engine records the control connection's TLS version).
 */
export function expectTlsMatchesMode(server: InteropServer): void {
  const logins = server.events.filter((e) => e.type === 'login' && e.outcome === 'ok');
  expect(logins.length).toBeGreaterThan(0);
  for (const login of logins) {
    if (server.mode === 'ftps') expect(login.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    else expect(login.tlsVersion).toBeNull();
  }
}
