'use strict';
/*
 * The floor of an upload in Node on this machine, without any FTP:
 *
 *   node bench/engine/upload-floor.js [--mode stream|batched|sync] [--hwm BYTES] [--mib 1024] [--tls]
 *
 * A bare net.Server writes one connection into a file (no fsync); bash sends
 * --mib MiB of zeros to it through /dev/tcp. With --tls it is a tls.Server
 * (the engine micro-benchmarks' certificate, TLS 1.3, AES-256-GCM as curl
 * and the FTP peers negotiate) and a Node client sends the zeros in 1 MiB
 * writes. Prints GB/s, the process's CPU time per GiB (all threads) and how
 * busy that kept it (CPU time / wall time; near 100 % means the receiving
 * process, not the sender, is the bound). Modes:
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
const tls = require('node:tls');

const { root } = require('./build');
const { certificate, pump } = require('./common');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

const mode = arg('mode', 'stream');
const hwm = Number(arg('hwm', 256 * 1024));
const bytes = Number(arg('mib', 1024)) * 1024 * 1024;
const secure = process.argv.includes('--tls');
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

let listener;

/** Sends `bytes` zeros over TLS in 1 MiB writes (the child process of --tls). */
function tlsSender(port) {
  const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () =>
    pump(socket, bytes, Buffer.alloc(1024 * 1024)),
  );
}

function onConnection(socket) {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const receiver = secure ? `tls.Server, ${socket.getCipher().name}` : 'net.Server';
  const label = sink(socket, () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const cpuMsPerGiB = cpuSeconds * 1000 * (2 ** 30 / bytes);
    console.log(
      `upload floor (${receiver} -> ${label}): ` +
        `${(bytes / seconds / 1e9).toFixed(2)} GB/s, CPU ${cpuMsPerGiB.toFixed(0)} ms/GiB, ` +
        `busy ${Math.round((cpuSeconds / seconds) * 100)} %`,
    );
    rmSync(target, { force: true });
    listener.close();
  });
}

if (process.argv.includes('--sender')) {
  tlsSender(Number(arg('port', '0')));
} else {
  listener = secure
    ? tls.createServer(certificate(), onConnection)
    : net.createServer(onConnection);
  listener.listen(0, '127.0.0.1', () => {
    const { port } = listener.address();
    if (secure) {
      spawn(
        process.execPath,
        [__filename, '--sender', '--port', String(port), '--mib', String(bytes / 2 ** 20)],
        {
          stdio: 'inherit',
        },
      );
    } else {
      spawn('bash', ['-c', `head -c ${bytes} /dev/zero > /dev/tcp/127.0.0.1/${port}`], {
        stdio: 'inherit',
      });
    }
  });
}
