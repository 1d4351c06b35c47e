'use strict';
/*
 * What an idle TLS control connection costs in Node itself, with no FTP
 * engine: the floor under the engine's idle TLS session (issue 6 §3).
 *
 *   node --expose-gc bench/engine/tls-floor.js [--sessions 2000] [--tls-max TLSv1.2] [--json]
 *
 * A plain TCP server answers "220", then "234" to the first line, wraps the
 * socket in a server TLSSocket (as the engine does on AUTH TLS) and answers
 * each line after the handshake with "331". A child process opens N such
 * connections (AUTH TLS, handshake, one command) and keeps them open.
 * Reported per connection: RSS growth after a full GC, split by mapping
 * ([heap] is glibc malloc: OpenSSL and Node's native objects; anonymous
 * mappings are mostly V8's heap), and V8 heap used.
 *
 * With --census and the malloc census preloaded (bench/engine/malloc-census.c,
 * build and use as its header says), it also lists the native allocations
 * the connections still hold, grouped by what made them.
 */
const { fork } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const tls = require('node:tls');

const { certificate, entryPoint } = require('./common');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

const COUNT = Number(arg('sessions', process.env.BENCH_SESSIONS ?? '2000'));
const MAX_VERSION = arg('tls-max', process.env.BENCH_TLS_MAX ?? 'TLSv1.3');

function line(socket) {
  return new Promise((resolve, reject) => {
    socket.once('data', resolve);
    socket.once('error', reject);
  });
}

async function openOne(port) {
  const raw = net.connect(port, '127.0.0.1');
  await line(raw); // 220
  raw.write('AUTH TLS\r\n');
  await line(raw); // 234
  const secure = tls.connect({ socket: raw, rejectUnauthorized: false, maxVersion: MAX_VERSION });
  await new Promise((resolve, reject) => {
    secure.once('secureConnect', resolve);
    secure.once('error', reject);
  });
  secure.write('USER bench\r\n');
  await line(secure); // 331
  return secure;
}

async function client() {
  const port = Number(process.env.BENCH_PORT);
  const sockets = [];
  for (let i = 0; i < COUNT; i += 25) {
    const batch = [];
    for (let j = i; j < Math.min(COUNT, i + 25); j++) batch.push(openOne(port));
    sockets.push(...(await Promise.all(batch)));
  }
  process.send({ ready: sockets.length });
  process.on('message', () => process.exit(0));
}

/** Resident KiB per mapping kind: "[heap]" (malloc), "anon" (V8 and other mmaps), files by path. */
function residentByMapping() {
  const out = {};
  let current = null;
  for (const row of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = row.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
    if (head) {
      current = head[1] || 'anon';
      continue;
    }
    const rss = row.match(/^Rss:\s+(\d+) kB/);
    if (rss && current) out[current] = (out[current] ?? 0) + Number(rss[1]);
  }
  return out;
}

async function settle() {
  for (let i = 0; i < 4; i++) {
    global.gc();
    await sleep(100);
  }
  return { usage: process.memoryUsage(), maps: residentByMapping() };
}

/** Groups the census lines ("size caller1 caller2 caller3") by what allocated them. */
function censusGroups(file, count) {
  const groups = new Map();
  for (const row of readFileSync(file, 'utf8').split('\n')) {
    const [size, ...callers] = row.split(' ');
    if (!size || callers.length === 0) continue;
    const where = callers.join(' ');
    let group = 'other';
    if (/NodeBIO12PeekWritable/.test(where) && Number(size) >= 16384)
      group = 'Node: NodeBIO read buffer of the TLS socket (libuv asks for 64 KiB)';
    else if (/SSL_new/.test(where) && Number(size) > 4096) group = 'OpenSSL: the SSL object';
    else if (/NodeBIO|TLSWrap|TCPWrap|BaseObject|AsyncWrap/.test(where))
      group = 'Node: TLSWrap, TCPWrap, BIOs';
    else if (/^(CRYPTO|OPENSSL|ssl|tls|EVP|ossl|BIO|\?)/.test(where))
      group = 'OpenSSL: keys, cipher states, session, handshake leftovers';
    groups.set(group, (groups.get(group) ?? 0) + Number(size));
  }
  return [...groups].map(([group, bytes]) => ({
    group,
    bytesPerSession: Math.round(bytes / count),
  }));
}

async function main() {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  const census = process.argv.includes('--census');
  const censusDir = process.env.MALLOC_CENSUS_DIR;
  if (census && (!censusDir || !process.env.LD_PRELOAD?.includes('malloc-census')))
    throw new Error(
      '--census needs LD_PRELOAD and MALLOC_CENSUS_DIR (see bench/engine/malloc-census.c)',
    );
  if (census) {
    rmSync(censusDir, { recursive: true, force: true });
    mkdirSync(censusDir, { recursive: true });
  }
  const context = tls.createSecureContext({ ...certificate(), maxVersion: MAX_VERSION });
  const sockets = [];
  const server = net.createServer((raw) => {
    raw.write('220 floor\r\n');
    raw.once('data', () => {
      raw.write('234 go\r\n');
      const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
      secure.on('data', () => secure.write('331 ok\r\n'));
      secure.on('error', () => undefined);
      sockets.push(secure);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Warm-up: one connection through the whole path, so code pages and caches are loaded.
  (await openOne(server.address().port)).destroy();
  await sleep(200);
  sockets.length = 0;
  const before = await settle();
  if (census) writeFileSync(path.join(censusDir, 'start'), '');
  const child = fork(__filename, ['--client'], {
    // The client is not counted: no census in it.
    env: {
      ...process.env,
      LD_PRELOAD: '',
      BENCH_PORT: String(server.address().port),
      BENCH_SESSIONS: String(COUNT),
      BENCH_TLS_MAX: MAX_VERSION,
    },
  });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.ready));
    child.once('exit', (code) => reject(new Error(`client exited ${code}`)));
  });
  await sleep(500);
  const after = await settle();
  if (sockets.length !== ready) throw new Error(`${sockets.length} sockets, expected ${ready}`);
  const perKiB = (a, b) => Number(((a - b) / ready / 1024).toFixed(1));
  const byMapping = {};
  for (const key of new Set([...Object.keys(before.maps), ...Object.keys(after.maps)])) {
    const grown = (after.maps[key] ?? 0) - (before.maps[key] ?? 0);
    if (Math.abs(grown) * 1024 >= ready * 256) byMapping[key] = Number((grown / ready).toFixed(1));
  }
  const result = {
    sessions: ready,
    tlsMax: MAX_VERSION,
    rssKiB: perKiB(after.usage.rss, before.usage.rss),
    heapUsedKiB: perKiB(after.usage.heapUsed, before.usage.heapUsed),
    rssKiBByMapping: byMapping,
  };
  if (census) {
    writeFileSync(path.join(censusDir, 'dump'), '');
    const done = path.join(censusDir, 'done');
    while (!existsSync(done)) await sleep(200);
    result.nativeLive = censusGroups(path.join(censusDir, `live.${process.pid}.txt`), ready);
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
  child.send('exit');
  if (census) rmSync(censusDir, { recursive: true, force: true });
  process.exit(0);
}

entryPoint({ main, client });
