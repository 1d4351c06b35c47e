'use strict';
// Where the time of one small file goes, step by step, over one session: the
// commands lftp sends per file (EPSV, RETR; EPSV, STOR, MFMT, SITE CHMOD),
// timed from a Node client that does nothing else. A small-files rate says
// how fast a client got through 2,000 files; this says which step of which
// server the time went to, without the client's own CPU in the way.
const { rmSync } = require('node:fs');
const path = require('node:path');

const paths = require('../../lib/paths');
const { median } = require('../../lib/stats');
const { login } = require('../control');
const { alternate } = require('../common');
const { fixture } = require('./small-files');

const now = () => Number(process.hrtime.bigint()) / 1e6;

function connected(socket) {
  return new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
}

const STEPS = {
  download: [
    ['passive', 'EPSV and data connection'],
    ['open', 'RETR to its 150'],
    ['data', '150 to the end of the data'],
    ['complete', 'end of the data to 226'],
    ['total', 'whole file'],
  ],
  upload: [
    ['passive', 'EPSV and data connection'],
    ['open', 'STOR to its 150'],
    ['complete', 'data sent to 226'],
    ['mfmt', 'MFMT'],
    ['chmod', 'SITE CHMOD'],
    ['total', 'whole file'],
  ],
};

/** Empty step lists for one direction, named as in STEPS. */
function emptySteps(kind) {
  return Object.fromEntries(STEPS[kind].map(([step]) => [step, []]));
}

/** Times one file: lap(step) records the time since the last lap, done() the whole file. */
function stopwatch(steps) {
  const start = now();
  let last = start;
  return {
    lap(step) {
      const t = now();
      steps[step].push(t - last);
      last = t;
    },
    done() {
      steps.total.push(now() - start);
    },
  };
}

/** EPSV and a connected data socket, timed as the 'passive' step. */
async function openData(control, watch) {
  const data = await control.passive();
  await connected(data);
  watch.lap('passive');
  return data;
}

async function downloads(server, names, remote) {
  const control = await login(server.port);
  const steps = emptySteps('download');
  try {
    await control.send('TYPE I', [200]);
    await control.send(`CWD /${remote}`, [250]);
    for (const name of names) {
      const watch = stopwatch(steps);
      const data = await openData(control, watch);
      const eof = new Promise((resolve, reject) => {
        data.on('data', () => undefined);
        data.once('end', resolve);
        data.once('error', reject);
      });
      control.socket.write(`RETR ${name}\r\n`);
      await control.expect('RETR', [100]);
      watch.lap('open');
      await eof;
      data.end();
      watch.lap('data');
      await control.expect('RETR', [226, 250]);
      watch.lap('complete');
      watch.done();
    }
  } finally {
    control.close();
  }
  return steps;
}

async function uploads(server, names, target) {
  const control = await login(server.port);
  const body = Buffer.alloc(4096, 0x61);
  const steps = emptySteps('upload');
  try {
    // Like lftp: MFMT only where FEAT offers it (vsftpd does not).
    const feat = await control.send('FEAT');
    const mfmt = feat.code === 211 && feat.lines.some((line) => line.trim() === 'MFMT');
    await control.send('TYPE I', [200]);
    await control.send(`MKD /${target}`, [257]);
    await control.send(`CWD /${target}`, [250]);
    for (const name of names) {
      const watch = stopwatch(steps);
      const data = await openData(control, watch);
      control.socket.write(`STOR ${name}\r\n`);
      await control.expect('STOR', [100]);
      watch.lap('open');
      data.end(body);
      data.resume();
      await control.expect('STOR', [226, 250]);
      watch.lap('complete');
      if (mfmt) {
        await control.send(`MFMT 20250101000000 ${name}`, [213]);
        watch.lap('mfmt');
      }
      await control.send(`SITE CHMOD 644 ${name}`, [200]);
      watch.lap('chmod');
      watch.done();
    }
  } finally {
    control.close();
  }
  return steps;
}

module.exports = {
  id: 'file-steps',
  title: 'Per-file steps over one session (4 KiB files)',
  async run(ctx) {
    const count = ctx.smoke ? 20 : 500;
    const remote = path.basename(fixture(2000, 4096));
    const names = Array.from({ length: count }, (_, i) => `f${String(i).padStart(5, '0')}.bin`);
    const { series, errors } = await alternate(ctx, async (server) => {
      const values = {};
      const target = `steps-${server.name}`;
      rmSync(path.join(paths.homeDir, target), { recursive: true, force: true });
      try {
        const down = await downloads(server, names, remote);
        const up = await uploads(server, names, target);
        for (const [kind, steps] of [
          ['download', down],
          ['upload', up],
        ]) {
          for (const [step] of STEPS[kind]) {
            if (steps[step].length) values[`${kind}-${step}`] = median(steps[step]);
          }
        }
      } finally {
        rmSync(path.join(paths.homeDir, target), { recursive: true, force: true });
      }
      return values;
    });
    const metrics = [];
    for (const [kind, steps] of Object.entries(STEPS)) {
      for (const [step, title] of steps) {
        metrics.push({
          id: `${kind}-${step}`,
          title: `${kind === 'download' ? 'Download' : 'Upload'}: ${title} (median of ${count} files)`,
          unit: 'ms',
          better: 'lower',
          // The chart shows the whole file; the steps are in the tables.
          chart: step === 'total',
          series: series[`${kind}-${step}`] ?? {},
        });
      }
    }
    return {
      metrics,
      errors,
      notes: [
        'MFMT is sent only to servers whose FEAT lists it (as lftp does); vsftpd has none, so its upload total has one command less.',
      ],
      commands: [
        `Node client (bench/ftp/scenarios/file-steps.js), one session per direction: per file EPSV + connect, RETR f00000.bin ... of /small-2000; then EPSV + connect, STOR of 4 KiB, MFMT, SITE CHMOD 644 into /steps-SERVER`,
      ],
    };
  },
};
