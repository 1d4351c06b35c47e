'use strict';
// A directory of 100,000 entries: LIST and MLSD, time to the first byte on the
// data connection, total time (data closed and 226 received), and the peak
// growth of the server's resident memory while it streams.
const { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const paths = require('../../lib/paths');
const { sampleRss, treeMemory } = require('../../lib/proc');
const { login } = require('../control');
const { alternate, own } = require('../common');

function fixture(count) {
  const dir = path.join(paths.homeDir, `list-${count}`);
  const done = path.join(paths.benchDir, `list-${count}.done`);
  if (existsSync(done)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  own(dir);
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `entry-${String(i).padStart(6, '0')}.txt`);
    closeSync(openSync(file, 'w'));
    own(file);
  }
  writeFileSync(done, '');
  return dir;
}

async function listOnce(server, command, dir) {
  const control = await login(server.port);
  try {
    const data = await control.passive();
    await new Promise((resolve, reject) => {
      data.once('connect', resolve);
      data.once('error', reject);
    });
    const baseline = treeMemory(server.pid).rss;
    const sampler = sampleRss(server.pid);
    const started = process.hrtime.bigint();
    let firstByte = null;
    let lines = 0;
    const received = new Promise((resolve, reject) => {
      data.on('data', (chunk) => {
        firstByte ??= process.hrtime.bigint();
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      });
      data.once('end', resolve);
      data.once('error', reject);
    });
    control.socket.write(`${command} /${dir}\r\n`);
    const first = await control.reply();
    if (first.code >= 400) {
      data.destroy();
      sampler.stop();
      return { unsupported: first.text };
    }
    await received;
    const done = await control.reply();
    const total = Number(process.hrtime.bigint() - started) / 1e6;
    const peak = sampler.stop();
    if (done.code !== 226 && done.code !== 250) throw new Error(`${command}: ${done.text}`);
    return { ttfb: Number(firstByte - started) / 1e6, total, memory: (peak - baseline) / 1024 / 1024, lines };
  } finally {
    control.close();
  }
}

module.exports = {
  id: 'listing',
  title: 'Listing a directory of 100,000 entries',
  async run(ctx) {
    const count = ctx.smoke ? 500 : 100_000;
    const dir = path.basename(fixture(count));
    const notes = [];
    const { series, errors } = await alternate(ctx, async (server, round) => {
      const values = {};
      for (const command of ['LIST', 'MLSD']) {
        const r = await listOnce(server, command, dir);
        const key = command.toLowerCase();
        if (r.unsupported) {
          if (round === 0) notes.push(`${server.name}: ${command} not supported (${r.unsupported})`);
          values[`${key}-ttfb`] = values[`${key}-total`] = values[`${key}-memory`] = null;
          continue;
        }
        if (r.lines < count && round === 0) notes.push(`${server.name}: ${command} returned ${r.lines} lines for ${count} entries`);
        values[`${key}-ttfb`] = r.ttfb;
        values[`${key}-total`] = r.total;
        values[`${key}-memory`] = r.memory;
      }
      return values;
    });
    const n = count.toLocaleString('en');
    const metrics = [];
    for (const command of ['LIST', 'MLSD']) {
      const key = command.toLowerCase();
      metrics.push(
        { id: `${key}-ttfb`, title: `${command} ${n} entries, time to first byte`, unit: 'ms', better: 'lower', series: series[`${key}-ttfb`] },
        { id: `${key}-total`, title: `${command} ${n} entries, total time`, unit: 'ms', better: 'lower', series: series[`${key}-total`] },
        { id: `${key}-memory`, title: `${command} ${n} entries, peak memory growth of the server (RSS)`, unit: 'MiB', better: 'lower', series: series[`${key}-memory`] },
      );
    }
    return {
      metrics,
      errors,
      notes,
      commands: [`Node client in bench/ftp/scenarios/listing.js: EPSV, then LIST /list-${count} (and MLSD); server RSS sampled every 20 ms`],
    };
  },
};
