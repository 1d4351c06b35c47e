'use strict';
/*
 * Engine throughput over loopback, engine in this process, client in a child:
 *
 *   node bench/engine/throughput.js <scenario> [--tls] [--fsync] [--files 2000] [--mib 1024]
 *
 * scenarios: download | upload (one file of --mib MiB), small-upload |
 * small-download (--files files of 4 KiB over one session). --fsync turns on
 * LocalFileSystem's fsync of each upload; --memory serves the in-memory
 * FileSystem instead (the engine without disk latency). Profile the engine side with
 * `node --cpu-prof --cpu-prof-dir=.bench/engine/prof bench/engine/throughput.js ...`.
 */
const { fork } = require('node:child_process');
const {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} = require('node:fs');
const path = require('node:path');

const { Control, entryPoint, pump, startEngine, workDir } = require('./common');

const SMALL = 4096;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

function ensureFile(file, bytes) {
  if (existsSync(file) && statSync(file).size === bytes) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  for (let left = bytes; left > 0; left -= chunk.length) {
    writeSync(fd, chunk, 0, Math.min(left, chunk.length));
  }
  closeSync(fd);
}

/** Waits for the data connection to end, counting what it delivered. */
function drainSocket(socket) {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    socket.on('data', (chunk) => (bytes += chunk.length));
    socket.on('end', () => resolve(bytes));
    socket.on('error', reject);
  });
}

async function client() {
  const { port, scenario, secure, files, bytes } = JSON.parse(process.env.BENCH_JOB);
  const control = await Control.open(port, { secure });
  await control.send('TYPE I', 200);
  const started = performance.now();
  if (scenario === 'download' || scenario === 'upload') {
    const { socket, ready } = await control.data(secure);
    if (scenario === 'download') {
      const received = drainSocket(socket);
      await control.send('RETR big.bin', 150);
      await ready;
      if ((await received) !== bytes) throw new Error('short download');
    } else {
      await control.send('STOR up.bin', 150);
      await ready;
      await pump(socket, bytes, Buffer.alloc(256 * 1024, 0xa5));
    }
    const done = await control.next();
    if (!done.startsWith('226')) throw new Error(done);
  } else {
    const payload = Buffer.alloc(SMALL, 0x61);
    for (let i = 0; i < files; i++) {
      const { socket, ready } = await control.data(secure);
      const name = `small/f${i}.bin`;
      if (scenario === 'small-download') {
        const received = drainSocket(socket);
        await control.send(`RETR ${name}`, 150);
        await ready;
        await received;
      } else {
        await control.send(`STOR ${name}`, 150);
        await ready;
        await new Promise((r) => socket.end(payload, r));
      }
      const done = await control.next();
      if (!done.startsWith('226')) throw new Error(done);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  process.send({ seconds });
  control.socket.destroy();
}

async function main() {
  const scenario = process.argv[2];
  const secure = process.argv.includes('--tls');
  const fsync = process.argv.includes('--fsync');
  const files = Number(arg('files', '2000'));
  const bytes = Number(arg('mib', '1024')) * 1024 * 1024;
  const home = path.join(workDir, 'home');
  if (scenario === 'download') ensureFile(path.join(home, 'big.bin'), bytes);
  if (scenario === 'small-download') {
    for (let i = 0; i < files; i++) ensureFile(path.join(home, 'small', `f${i}.bin`), SMALL);
  }
  if (scenario === 'small-upload') {
    rmSync(path.join(home, 'small'), { recursive: true, force: true });
    mkdirSync(path.join(home, 'small'), { recursive: true });
  }
  const { server, port } = await startEngine({
    home,
    tlsMode: secure ? 'explicit' : 'none',
    fileSystem: process.argv.includes('--memory') ? 'memory' : { fsync },
  });
  const cpuBefore = process.cpuUsage();
  const child = fork(__filename, ['--client'], {
    env: {
      ...process.env,
      BENCH_JOB: JSON.stringify({ port, scenario, secure, files, bytes }),
    },
  });
  const { seconds } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`client exited ${code}`)));
  });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const memory = process.argv.includes('--memory');
  const label = `${scenario}${secure ? ' FTPS' : ''}${fsync ? ' fsync' : ''}${memory ? ' memory' : ''}`;
  if (scenario.startsWith('small')) {
    console.log(
      `${label}: ${files} x 4 KiB in ${seconds.toFixed(2)} s = ${Math.round(files / seconds)} files/s, engine CPU ${(cpuMs / files).toFixed(3)} ms/file`,
    );
  } else {
    console.log(
      `${label}: ${bytes / 1048576} MiB in ${seconds.toFixed(2)} s = ${(bytes / seconds / 1e9).toFixed(2)} GB/s, engine CPU ${Math.round(cpuMs / (bytes / 2 ** 30))} ms/GiB`,
    );
  }
  if (scenario === 'upload') rmSync(path.join(home, 'up.bin'), { force: true });
  await server.close({ graceMs: 0 });
  process.exit(0);
}

entryPoint({ main, client });
