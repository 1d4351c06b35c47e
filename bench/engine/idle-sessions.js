'use strict';
/*
 * Memory per idle logged-in session, engine only (issue 6 §3: <= 16 KiB).
 *
 *   node --expose-gc bench/engine/idle-sessions.js [--sessions 1000] [--tls [--reuse]] [--json]
 *
 * The engine (FtpServer + LocalFileSystem, transpiled from the working tree)
 * runs in this process; a child process opens N control connections, logs
 * each in (AUTH TLS first with --tls) and leaves them idle. Reported: the
 * growth of this process's RSS and V8 heap (used) after a full GC, divided
 * by N (--reuse: the listener requires TLS session reuse, so each session
 * also keeps its TlsSessionBinding). RSS includes what OpenSSL and libuv hold per connection; heap is what
 * the engine's JS objects hold.
 */
const { fork } = require('node:child_process');
const { setTimeout: sleep } = require('node:timers/promises');

const { Control, entryPoint, startEngine } = require('./common');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

async function client() {
  const port = Number(process.env.BENCH_PORT);
  const count = Number(process.env.BENCH_SESSIONS);
  const secure = process.env.BENCH_TLS === '1';
  const sessions = [];
  // A few logins at a time: the measurement is of idle sessions, not of a login storm.
  for (let i = 0; i < count; i += 25) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 25); j++) batch.push(Control.open(port, { secure }));
    sessions.push(...(await Promise.all(batch)));
  }
  process.send({ ready: sessions.length });
  process.on('message', () => {
    for (const s of sessions) s.socket.destroy();
    process.exit(0);
  });
}

async function settle() {
  for (let i = 0; i < 4; i++) {
    global.gc();
    await sleep(100);
  }
  return process.memoryUsage();
}

async function main() {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  const count = Number(arg('sessions', '1000'));
  const secure = process.argv.includes('--tls');
  const reuse = process.argv.includes('--reuse');
  const { server, port } = await startEngine({
    tlsMode: secure ? 'explicit' : 'none',
    requireSessionReuse: reuse,
  });
  // Warm-up: one session through the whole path, so code and caches are loaded.
  const warm = await Control.open(port, { secure });
  warm.socket.destroy();
  await sleep(200);
  const before = await settle();
  const child = fork(__filename, ['--client'], {
    env: {
      ...process.env,
      BENCH_PORT: String(port),
      BENCH_SESSIONS: String(count),
      BENCH_TLS: secure ? '1' : '0',
    },
  });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.ready));
    child.once('exit', (code) => reject(new Error(`client exited ${code}`)));
  });
  await sleep(500);
  const after = await settle();
  if (server.sessionCount !== ready)
    throw new Error(`${server.sessionCount} sessions, expected ${ready}`);
  const per = (key) => (after[key] - before[key]) / ready / 1024;
  const result = {
    sessions: ready,
    tls: secure,
    rssKiB: Number(per('rss').toFixed(1)),
    heapUsedKiB: Number(per('heapUsed').toFixed(2)),
    externalKiB: Number(per('external').toFixed(2)),
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    console.log(
      `${ready} idle logged-in ${secure ? 'TLS' : 'plain'}${reuse ? ' (reuse required)' : ''} sessions: ` +
        `${result.rssKiB} KiB RSS, ${result.heapUsedKiB} KiB V8 heap, ` +
        `${result.externalKiB} KiB external per session`,
    );
  }
  child.send('exit');
  await server.close({ graceMs: 0 });
  process.exit(0);
}

entryPoint({ main, client });
