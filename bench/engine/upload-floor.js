'use strict';
/*
 * The floor of an upload in Node on this machine, without any FTP:
 *
 *   node bench/engine/upload-floor.js [--mode stream|batched|sync] [--hwm BYTES] [--mib 1024]
 *
 * A bare net.Server writes one connection into a file (no fsync); bash sends
 * --mib MiB of zeros to it through /dev/tcp. Prints GB/s and the process's
 * CPU time per GiB (all threads). Modes:
 *   stream   socket.pipe(fs.createWriteStream) with --hwm (default 256 KiB)
 *   batched  socket.pipe(BatchedFileWriter), what LocalUpload uses (1 MiB writevs)
 *   sync     fs.writeSync in the 'data' handler (blocks the event loop)
 * What the engine's and the worker's uploads compare with (docs/BENCHMARKS.md,
 * "Uploads: the garbage collector as well").
 */
const { spawn } = require('node:child_process');
const { closeSync, createWriteStream, mkdirSync, openSync, rmSync, writeSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { root } = require('./build');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

const mode = arg('mode', 'stream');
const hwm = Number(arg('hwm', 256 * 1024));
const bytes = Number(arg('mib', 1024)) * 1024 * 1024;
const dir = path.join(root, '.bench', 'engine');
mkdirSync(dir, { recursive: true });
const target = path.join(dir, 'upload-floor.bin');
// Transpiled before the clock starts (about a second).
const BatchedFileWriter = mode === 'batched' ? loadBatchedFileWriter() : null;

function loadBatchedFileWriter() {
  const { buildEngine, outDir } = require('./build');
  buildEngine();
  return require(path.join(outDir, 'libs/storage/src/local/batched-file-writer.js'))
    .BatchedFileWriter;
}

/** Starts writing `socket` into the target; calls done() once every byte is in the file. */
function sink(socket, done) {
  if (mode === 'stream') {
    const out = createWriteStream(target, { highWaterMark: hwm });
    socket.pipe(out);
    out.on('finish', done);
    return `fs.WriteStream, highWaterMark ${hwm}`;
  }
  if (mode === 'batched') {
    const fd = openSync(target, 'w');
    const out = new BatchedFileWriter(fd, 0);
    socket.pipe(out);
    out.on('finish', () => {
      closeSync(fd);
      done();
    });
    return 'BatchedFileWriter (1 MiB writevs)';
  }
  if (mode === 'sync') {
    const fd = openSync(target, 'w');
    socket.on('data', (chunk) => writeSync(fd, chunk));
    socket.on('end', () => {
      closeSync(fd);
      done();
    });
    return 'fs.writeSync per socket read';
  }
  throw new Error(`unknown --mode ${mode}`);
}

const server = net.createServer((socket) => {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const label = sink(socket, () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuMsPerGiB = ((used.user + used.system) / 1000) * (2 ** 30 / bytes);
    console.log(
      `upload floor (net.Server -> ${label}): ` +
        `${(bytes / seconds / 1e9).toFixed(2)} GB/s, CPU ${cpuMsPerGiB.toFixed(0)} ms/GiB`,
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
