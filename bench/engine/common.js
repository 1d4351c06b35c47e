'use strict';
// Shared by the engine micro-benchmarks: a self-signed certificate, an
// in-process FtpServer over a LocalFileSystem home, and a tiny FTP client.
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const tls = require('node:tls');

const { buildEngine, root } = require('./build');

const workDir = path.join(root, '.bench', 'engine');
const USER = 'bench';
const PASSWORD = 'bench';

function certificate() {
  const dir = path.join(workDir, 'tls');
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  if (!existsSync(cert)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '30',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/** The engine in this process. `fileSystem` options go to LocalFileSystem. */
async function startEngine({
  home,
  tlsMode = 'explicit',
  requireSessionReuse = false,
  fileSystem = {},
  server = {},
} = {}) {
  const { engine, storage } = buildEngine();
  const homeDir = home ?? path.join(workDir, 'home');
  mkdirSync(homeDir, { recursive: true });
  // fileSystem: 'memory' = the engine alone, without disk latency.
  const memory = fileSystem === 'memory' ? new storage.MemoryFileSystem() : null;
  if (memory) await memory.mkdir('/small');
  const instance = new engine.FtpServer({
    host: '127.0.0.1',
    port: 0,
    tls: tlsMode === 'none' ? undefined : { mode: tlsMode, requireSessionReuse, ...certificate() },
    loginTimeoutMs: 3_600_000,
    idleTimeoutMs: 3_600_000,
    failedLoginDelayMs: 0,
    authenticator: {
      authenticate: async (request) =>
        request.username === USER && request.password === PASSWORD
          ? {
              ok: true,
              principal: {
                userId: 'bench',
                username: USER,
                fileSystem: memory ?? new storage.LocalFileSystem(homeDir, fileSystem),
              },
            }
          : { ok: false, reason: 'bad-credentials', message: 'Login incorrect.' },
    },
    ...server,
  });
  const { port } = await instance.listen();
  return { server: instance, port, home: homeDir };
}

/** A control connection that reads replies one at a time. */
class Control {
  constructor(socket) {
    this.buffer = '';
    this.waiters = [];
    this.replies = [];
    this.attach(socket);
  }

  attach(socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (text) => {
      this.buffer += text;
      let end;
      while ((end = this.buffer.indexOf('\r\n')) >= 0) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        if (/^\d{3} /.test(line)) {
          const waiter = this.waiters.shift();
          if (waiter) waiter(line);
          else this.replies.push(line);
        }
      }
    });
    socket.on('error', () => undefined);
  }

  next() {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async send(line, expect) {
    this.socket.write(`${line}\r\n`);
    const reply = await this.next();
    if (expect && !reply.startsWith(String(expect))) throw new Error(`${line}: ${reply}`);
    return reply;
  }

  /** Logs in; with `secure`, AUTH TLS first (PBSZ/PROT P after login). */
  static async open(port, { secure = false } = {}) {
    const raw = net.connect({ host: '127.0.0.1', port });
    await new Promise((resolve, reject) => {
      raw.once('connect', resolve);
      raw.once('error', reject);
    });
    const control = new Control(raw);
    await control.next();
    if (secure) {
      await control.send('AUTH TLS', 234);
      raw.removeAllListeners('data');
      const socket = tls.connect({ socket: raw, rejectUnauthorized: false });
      control.sessions = [];
      socket.on('session', (s) => control.sessions.push(s));
      await new Promise((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      control.attach(socket);
    }
    await control.send(`USER ${USER}`, 331);
    await control.send(`PASS ${PASSWORD}`, 230);
    if (secure) {
      await control.send('PBSZ 0', 200);
      await control.send('PROT P', 200);
    }
    return control;
  }

  /** EPSV + the data connection (TLS when `secure`), already connected. */
  async data(secure) {
    const reply = await this.send('EPSV', 229);
    const port = Number(/\|\|\|(\d+)\|/.exec(reply)[1]);
    const raw = net.connect({ host: '127.0.0.1', port });
    await new Promise((resolve, reject) => {
      raw.once('connect', resolve);
      raw.once('error', reject);
    });
    if (!secure) return { socket: raw, ready: Promise.resolve() };
    const socket = tls.connect({
      socket: raw,
      rejectUnauthorized: false,
      session: this.sessions[this.sessions.length - 1],
    });
    socket.on('session', (s) => this.sessions.push(s));
    const ready = new Promise((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    return { socket, ready };
  }
}

/** Runs `client` in the forked child (argv --client), `main` otherwise; exits 1 on an error. */
/** Writes `bytes` from one reused buffer with backpressure, then ends. */
async function pump(socket, bytes, chunk) {
  for (let left = bytes; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r));
  }
  await new Promise((r) => socket.end(r));
}

function entryPoint({ main, client }) {
  const run = process.argv.includes('--client') ? client : main;
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { Control, PASSWORD, USER, certificate, entryPoint, pump, startEngine, workDir };
