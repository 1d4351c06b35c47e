'use strict';
// One large file down and up with curl, plain and FTPS (AUTH TLS, PROT P).
const { rmSync } = require('node:fs');
const path = require('node:path');

const paths = require('../../lib/paths');
const { alternate, exec, fixtureFile, ftpUrl, settleDisk } = require('../common');

const GiB = 1024 ** 3;

async function curl(server, tls, args) {
  const out = await exec('curl', [
    '-sS',
    '--fail',
    '-u',
    `${paths.user}:${paths.password}`,
    ...(tls ? ['--ssl-reqd', '--insecure'] : []),
    '-w',
    '%{time_total} %{size_download} %{size_upload}',
    ...args,
  ]);
  const [time, down, up] = out.trim().split(' ').map(Number);
  return { time, bytes: Math.max(down, up) };
}

module.exports = {
  id: 'transfer',
  title: 'Large file download and upload (curl)',
  async run(ctx) {
    const size = ctx.smoke ? 8 * 1024 * 1024 : GiB;
    const source = fixtureFile(`bench-${size}.bin`, size);
    const rate = ({ time, bytes }) => {
      if (bytes !== size) throw new Error(`moved ${bytes} of ${size} bytes`);
      return bytes / time / 1e9;
    };
    const { series, errors } = await alternate(ctx, async (server) => {
      const values = {};
      for (const tls of [false, true]) {
        const kind = tls ? 'ftps' : 'plain';
        await settleDisk();
        values[`download-${kind}`] = rate(
          await curl(server, tls, ['-o', '/dev/null', ftpUrl(server, path.basename(source))]),
        );
        const target = `upload-${server.name}.bin`;
        await settleDisk();
        values[`upload-${kind}`] = rate(await curl(server, tls, ['-T', source, ftpUrl(server, target)]));
        rmSync(path.join(paths.homeDir, target), { force: true });
      }
      return values;
    });
    const label = ctx.smoke ? '8 MiB' : '1 GiB';
    const metric = (id, title) => ({ id, title: `${title} (${label})`, unit: 'GB/s', better: 'higher', series: series[id] });
    return {
      metrics: [
        metric('download-plain', 'Download, plain FTP'),
        metric('upload-plain', 'Upload, plain FTP'),
        metric('download-ftps', 'Download, FTPS (PROT P)'),
        metric('upload-ftps', 'Upload, FTPS (PROT P)'),
      ],
      errors,
      commands: [
        `curl -sS --fail -u USER:PASS -o /dev/null ftp://127.0.0.1:PORT/bench-${size}.bin`,
        `curl -sS --fail -u USER:PASS -T .bench/data/home/bench-${size}.bin ftp://127.0.0.1:PORT/upload-SERVER.bin`,
        'the same with --ssl-reqd --insecure for FTPS (curl sends AUTH TLS, PBSZ 0, PROT P)',
      ],
    };
  },
};
