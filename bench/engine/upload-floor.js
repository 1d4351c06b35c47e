'use strict';
/*
 * The floor of an upload in Node on this machine, without any FTP:
 *
 *   node bench/engine/upload-floor.js [--hwm BYTES] [--mib 1024]
 *
 * A bare net.Server pipes one connection into fs.createWriteStream (no fsync);
 * bash sends --mib MiB of zeros to it through /dev/tcp. Prints GB/s and the
 * server's CPU time. What the engine's and the worker's uploads compare with
 * (docs/BENCHMARKS.md, "What bounds uploads").
 */
const { spawn } = require('node:child_process');
const { createWriteStream, mkdirSync, rmSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { root } = require('./build');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const hwm = arg('hwm', 256 * 1024);
const bytes = arg('mib', 1024) * 1024 * 1024;
const dir = path.join(root, '.bench', 'engine');
mkdirSync(dir, { recursive: true });
const target = path.join(dir, 'upload-floor.bin');

const server = net.createServer((socket) => {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const out = createWriteStream(target, { highWaterMark: hwm });
  socket.pipe(out);
  out.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuMsPerGiB = ((used.user + used.system) / 1000) * (2 ** 30 / bytes);
    console.log(
      `upload floor (net.Server -> fs.WriteStream, highWaterMark ${hwm}): ` +
        `${(bytes / seconds / 1e9).toFixed(2)} GB/s, server CPU ${cpuMsPerGiB.toFixed(0)} ms/GiB`,
    );
    rmSync(target, { force: true });
    server.close();
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  spawn('bash', ['-c', `head -c ${bytes} /dev/zero > /dev/tcp/127.0.0.1/${port}`], {
    stdio: 'inherit',
  });
});
