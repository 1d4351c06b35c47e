'use strict';
// A minimal FTP control connection for the scenarios that measure the server
// rather than a client: logins, idle sessions, listing time to first byte.
const net = require('node:net');
const tls = require('node:tls');

const paths = require('../lib/paths');

class Control {
  constructor(socket) {
    this.buffer = '';
    this.lines = [];
    this.waiters = [];
    this.replies = [];
    this.closed = false;
    this.attach(socket);
  }

  attach(socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      this.buffer += chunk;
      for (;;) {
        const end = this.buffer.indexOf('\r\n');
        if (end < 0) break;
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        this.lines.push(line);
        // Multi-line replies: only "NNN " ends one; `lines` keeps all of them.
        if (/^\d{3} /.test(line)) {
          this.push({ code: Number(line.slice(0, 3)), text: line, lines: this.lines });
          this.lines = [];
        }
      }
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('control connection closed')));
  }

  push(reply) {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(reply);
    else this.replies.push(reply);
  }

  fail(error) {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  reply() {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closed) return Promise.reject(new Error('control connection closed'));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async send(line, expect) {
    this.socket.write(`${line}\r\n`);
    return this.expect(line.split(' ')[0], expect);
  }

  /** The next reply; with `expect`, one of those codes (100 stands for any 1xx) or a throw. */
  async expect(what, expect) {
    const reply = await this.reply();
    if (
      expect &&
      !expect.includes(Math.floor(reply.code / 100) * 100) &&
      !expect.includes(reply.code)
    ) {
      throw new Error(`${what}: ${reply.text}`);
    }
    return reply;
  }

  async upgrade() {
    await this.send('AUTH TLS', [234]);
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false, servername: undefined });
    await new Promise((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.attach(secure);
  }

  /** Opens a passive data connection (EPSV), plain or TLS. */
  async passive() {
    const reply = await this.send('EPSV', [229]);
    const port = Number(/\(\|\|\|(\d+)\|\)/.exec(reply.text)[1]);
    return net.connect(port, '127.0.0.1');
  }

  close() {
    this.closed = true;
    this.socket.destroy();
  }
}

/** Connects, optionally upgrades to TLS, logs in; resolves with the Control. */
async function login(
  port,
  { user = paths.user, password = paths.password, secure = false, timeoutMs = 60_000 } = {},
) {
  const socket = net.connect(port, '127.0.0.1');
  const control = new Control(socket);
  // A server that never answers must fail the run, not hang it (vsftpd did at ~1,000 sessions).
  const timer = setTimeout(
    () => control.fail(new Error(`no login reply within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    const greeting = await control.reply();
    if (greeting.code !== 220) throw new Error(`greeting: ${greeting.text}`);
    if (secure) await control.upgrade();
    await control.send(`USER ${user}`, [331, 230]);
    await control.send(`PASS ${password}`, [230]);
    return control;
  } catch (error) {
    control.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

module.exports = { Control, login };
