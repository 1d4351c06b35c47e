'use strict';
// Many small files down and up with lftp mirror, over one session and over
// eight parallel sessions (--parallel=8 opens one connection per transfer).
const { existsSync, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const path = require('node:path');

const paths = require('../../lib/paths');
const { treeCpuSeconds } = require('../../lib/proc');
const { alternate, ensurePassivePorts, exec, own, settleDisk } = require('../common');

function fixture(count, size) {
  const dir = path.join(paths.homeDir, `small-${count}`);
  const done = path.join(paths.benchDir, `small-${count}.done`);
  if (existsSync(done)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  own(dir);
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `f${String(i).padStart(5, '0')}.bin`);
    writeFileSync(file, randomBytes(size));
    own(file);
  }
  writeFileSync(done, '');
  return dir;
}

/** "0m1.250s" (bash's `times`) in seconds. */
function clockSeconds(text) {
  const m = /^(\d+)m([\d.]+)s$/.exec(text);
  if (!m) throw new Error(`unexpected times output: ${text}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * One lftp run: wall seconds, lftp's own CPU seconds (bash's `times` reports
 * its waited-for children) and the server process tree's CPU seconds.
 */
async function lftp(server, script) {
  const serverBefore = treeCpuSeconds(server.pid);
  const started = process.hrtime.bigint();
  const out = await exec('bash', [
    '-c', 'lftp "$@" && times', 'lftp',
    '-u', `${paths.user},${paths.password}`,
    '-e', `set ftp:ssl-allow no; set net:max-retries 1; set net:timeout 60; set xfer:clobber on; ${script}; quit`,
    `ftp://127.0.0.1:${server.port}`,
  ]);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  // A forking server's sessions count once reaped: give the last ones a moment to exit.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const [user, system] = out.trim().split('\n').pop().split(' ').map(clockSeconds);
  return { wall, clientCpu: user + system, serverCpu: treeCpuSeconds(server.pid) - serverBefore };
}

module.exports = {
  fixture,
  id: 'small-files',
  title: 'Small files (lftp mirror)',
  async run(ctx) {
    const count = ctx.smoke ? 50 : 2000;
    const size = 4096;
    const source = fixture(count, size);
    const remote = path.basename(source);
    const local = path.join(paths.clientDir, 'small-download');
    const restarts = [];
    const record = (values, id, run) => {
      values[id] = count / run.wall;
      values[`${id}-client-cpu`] = (run.clientCpu / count) * 1e3;
      values[`${id}-server-cpu`] = (run.serverCpu / count) * 1e3;
    };
    const { series, errors } = await alternate(ctx, async (server) => {
      const values = {};
      for (const parallel of [1, 8]) {
        if (await ensurePassivePorts(ctx, server, count + 100)) restarts.push(`${server.name} before download-${parallel}`);
        rmSync(local, { recursive: true, force: true });
        mkdirSync(local, { recursive: true });
        await settleDisk();
        const down = await lftp(server, `mirror --parallel=${parallel} /${remote} ${local}`);
        record(values, `download-${parallel}`, down);
        const target = `up-small-${server.name}`;
        rmSync(path.join(paths.homeDir, target), { recursive: true, force: true });
        await settleDisk();
        const up = await lftp(server, `mirror -R --parallel=${parallel} ${source} /${target}`);
        record(values, `upload-${parallel}`, up);
        rmSync(path.join(paths.homeDir, target), { recursive: true, force: true });
      }
      return values;
    });
    const phases = [
      ['download-1', 'Download, 1 session'],
      ['download-8', 'Download, 8 sessions'],
      ['upload-1', 'Upload, 1 session'],
      ['upload-8', 'Upload, 8 sessions'],
    ];
    const rate = ([id, title]) => ({ id, title: `${title} (${count} x 4 KiB)`, unit: 'files/s', better: 'higher', series: series[id] });
    // CPU per file, in tables only: they explain the rates, the chart shows the rates.
    const cpu = ([id, title], who, what) => ({
      id: `${id}-${who}-cpu`,
      title: `${title}: ${what} CPU per file`,
      unit: 'ms',
      better: 'lower',
      chart: false,
      series: series[`${id}-${who}-cpu`],
    });
    return {
      metrics: [
        ...phases.map(rate),
        ...phases.map((phase) => cpu(phase, 'client', 'lftp (the client, one process)')),
        ...phases.map((phase) => cpu(phase, 'server', "the server's process tree")),
      ],
      errors,
      notes: restarts.length
        ? [`Wharf restarted (file descriptors held by finished downloads, see the engine note): ${restarts.join('; ')}.`]
        : [],
      commands: [
        `lftp -u USER,PASS -e "set ftp:ssl-allow no; mirror --parallel=N /small-${count} LOCALDIR; quit" ftp://127.0.0.1:PORT`,
        `lftp -u USER,PASS -e "set ftp:ssl-allow no; mirror -R --parallel=N .bench/data/home/small-${count} /up-small-SERVER; quit" ftp://127.0.0.1:PORT`,
        'CPU per file: lftp run as `bash -c \'lftp ... && times\'` (its user + system time), the server from /proc/<pid>/stat (utime, stime, cutime, cstime) over its process tree before and after',
      ],
    };
  },
};
