'use strict';
/*
 * Listing memory and time, engine only (issue 6 §3: "the 100,000-entry
 * listing streams with flat memory").
 *
 *   node --expose-gc bench/engine/listing.js [--sizes 1000,100000] [--rounds 3] [--live-heap]
 *        [--pause-ms 0] [--json]
 *
 * The engine (FtpServer + LocalFileSystem, transpiled from the working tree)
 * runs in this process; a child process logs in once and runs LIST and MLSD
 * of a directory of N empty files (made once under .bench/engine/home).
 * While a listing streams, this process samples every 20 ms its V8 heap used
 * and its RSS; with --live-heap each sample first runs a full GC, so garbage
 * not yet collected does not count (those GCs cost CPU: take times without
 * it). Reported per listing: peak growth of the heap and of RSS over the
 * values taken (after a GC) just before it, time to first byte, total time,
 * and this process's CPU time. Flat memory = the 100,000-entry peak is
 * the same as the 1,000-entry one. --pause-ms: the client stops reading for
 * that long after the first chunk (the engine must then wait on backpressure,
 * not buffer the listing).
 */
const { fork } = require('node:child_process');
const { closeSync, existsSync, mkdirSync, openSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const { Control, entryPoint, startEngine, workDir } = require('./common');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

function fixture(home, count) {
  const dir = path.join(home, `list-${count}`);
  const done = path.join(workDir, `list-${count}.done`);
  if (existsSync(done) && existsSync(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    closeSync(openSync(path.join(dir, `entry-${String(i).padStart(6, '0')}.txt`), 'w'));
  }
  writeFileSync(done, '');
  return dir;
}

async function client() {
  const control = await Control.open(Number(process.env.BENCH_PORT));
  const pauseMs = Number(process.env.BENCH_PAUSE_MS);
  process.on('message', async ({ command, dir }) => {
    const { socket } = await control.data(false);
    const started = process.hrtime.bigint();
    let firstByte = null;
    let lines = 0;
    const received = new Promise((resolve, reject) => {
      socket.on('data', (chunk) => {
        if (firstByte === null) {
          firstByte = process.hrtime.bigint();
          if (pauseMs > 0) {
            socket.pause();
            setTimeout(() => socket.resume(), pauseMs);
          }
        }
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      });
      socket.once('end', resolve);
      socket.once('error', reject);
    });
    await control.send(`${command} /${dir}`, 150);
    await received;
    await control.next();
    process.send({
      lines,
      ttfbMs: Number(firstByte - started) / 1e6,
      totalMs: Number(process.hrtime.bigint() - started) / 1e6,
    });
  });
  process.send({ ready: true });
}

function memory(gc) {
  if (gc) global.gc();
  return process.memoryUsage();
}

async function main() {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  const sizes = arg('sizes', '1000,100000').split(',').map(Number);
  const rounds = Number(arg('rounds', '3'));
  const pauseMs = Number(arg('pause-ms', '0'));
  const live = process.argv.includes('--live-heap');
  const { server, port, home } = await startEngine({ tlsMode: 'none' });
  const dirs = new Map(sizes.map((n) => [n, path.basename(fixture(home, n))]));
  const child = fork(__filename, ['--client'], {
    env: { ...process.env, BENCH_PORT: String(port), BENCH_PAUSE_MS: String(pauseMs) },
  });
  const nextMessage = () => new Promise((resolve) => child.once('message', resolve));
  await nextMessage();
  const results = [];
  for (let round = 0; round < rounds; round++) {
    for (const size of sizes) {
      for (const command of ['LIST', 'MLSD']) {
        const before = memory(true);
        let peakHeap = before.heapUsed;
        let peakRss = before.rss;
        const sampler = setInterval(() => {
          const now = memory(live);
          peakHeap = Math.max(peakHeap, now.heapUsed);
          peakRss = Math.max(peakRss, now.rss);
        }, 20);
        const cpu = process.cpuUsage();
        const reply = nextMessage();
        child.send({ command, dir: dirs.get(size) });
        const r = await reply;
        const used = process.cpuUsage(cpu);
        clearInterval(sampler);
        const after = memory(true);
        if (r.lines !== size) throw new Error(`${command} ${size}: ${r.lines} lines`);
        results.push({
          round,
          size,
          command,
          ttfbMs: r.ttfbMs,
          totalMs: r.totalMs,
          cpuMs: (used.user + used.system) / 1000,
          heapPeakKiB: (peakHeap - before.heapUsed) / 1024,
          heapAfterKiB: (after.heapUsed - before.heapUsed) / 1024,
          rssPeakKiB: (peakRss - before.rss) / 1024,
        });
      }
    }
  }
  child.kill();
  await server.close();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(results));
    return;
  }
  console.log(
    `entries  cmd   ttfb ms  total ms  cpu ms  ${live ? 'live heap' : '     heap'} peak / after KiB  RSS peak KiB`,
  );
  for (const r of results) {
    console.log(
      `${String(r.size).padStart(7)}  ${r.command.padEnd(4)} ${r.ttfbMs.toFixed(1).padStart(8)} ${r.totalMs
        .toFixed(0)
        .padStart(9)} ${r.cpuMs.toFixed(0).padStart(7)} ${r.heapPeakKiB
        .toFixed(0)
        .padStart(
          16,
        )} / ${r.heapAfterKiB.toFixed(0).padStart(5)} ${r.rssPeakKiB.toFixed(0).padStart(13)}`,
    );
  }
}

entryPoint({ main, client });
