'use strict';
// Many small files down and up with lftp mirror, over one session and over
// eight parallel sessions (--parallel=8 opens one connection per transfer).
const { existsSync, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const path = require('node:path');

const paths = require('../../lib/paths');
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

async function lftp(server, script) {
  const started = process.hrtime.bigint();
  await exec('lftp', [
    '-u', `${paths.user},${paths.password}`,
    '-e', `set ftp:ssl-allow no; set net:max-retries 1; set net:timeout 60; set xfer:clobber on; ${script}; quit`,
    `ftp://127.0.0.1:${server.port}`,
  ]);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

module.exports = {
  id: 'small-files',
  title: 'Small files (lftp mirror)',
  async run(ctx) {
    const count = ctx.smoke ? 50 : 2000;
    const size = 4096;
    const source = fixture(count, size);
    const remote = path.basename(source);
    const local = path.join(paths.clientDir, 'small-download');
    const restarts = [];
    const { series, errors } = await alternate(ctx, async (server) => {
      const values = {};
      for (const parallel of [1, 8]) {
        if (await ensurePassivePorts(ctx, server, count + 100)) restarts.push(`${server.name} before download-${parallel}`);
        rmSync(local, { recursive: true, force: true });
        mkdirSync(local, { recursive: true });
        await settleDisk();
        const down = await lftp(server, `mirror --parallel=${parallel} /${remote} ${local}`);
        values[`download-${parallel}`] = count / down;
        const target = `up-small-${server.name}`;
        rmSync(path.join(paths.homeDir, target), { recursive: true, force: true });
        await settleDisk();
        const up = await lftp(server, `mirror -R --parallel=${parallel} ${source} /${target}`);
        values[`upload-${parallel}`] = count / up;
        rmSync(path.join(paths.homeDir, target), { recursive: true, force: true });
      }
      return values;
    });
    const metric = (id, title) => ({ id, title: `${title} (${count} x 4 KiB)`, unit: 'files/s', better: 'higher', series: series[id] });
    return {
      metrics: [
        metric('download-1', 'Download, 1 session'),
        metric('download-8', 'Download, 8 sessions'),
        metric('upload-1', 'Upload, 1 session'),
        metric('upload-8', 'Upload, 8 sessions'),
      ],
      errors,
      notes: restarts.length
        ? [`Wharf restarted (file descriptors held by finished downloads, see the engine note): ${restarts.join('; ')}.`]
        : [],
      commands: [
        `lftp -u USER,PASS -e "set ftp:ssl-allow no; mirror --parallel=N /small-${count} LOCALDIR; quit" ftp://127.0.0.1:PORT`,
        `lftp -u USER,PASS -e "set ftp:ssl-allow no; mirror -R --parallel=N .bench/data/home/small-${count} /up-small-SERVER; quit" ftp://127.0.0.1:PORT`,
      ],
    };
  },
};
