import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';

import { CURL, describeWithTool, LFTP, PYTHON3, RCLONE } from '../support/require-tool';
import {
  INTEROP_PASSWORD,
  INTEROP_USER,
  type InteropServer,
  type InteropServerOptions,
  makeFile,
  sha256,
  sha256File,
  startInteropServer,
} from './interop-server';
import { clientEnv, expectOk, runClient } from './run-client';

jest.setTimeout(120_000);

/**
 * Listener variants beyond explicit FTPS: implicit FTPS (TLS from the first
 * byte), mandatory TLS session reuse on data connections (vsftpd
 * require_ssl_reuse; FileZilla relies on it), and active mode (PORT/EPRT).
 */
const VARIANTS: Array<[string, InteropServerOptions]> = [
  ['implicit FTPS', { tlsMode: 'implicit' }],
  ['explicit FTPS with mandatory session reuse', { requireSessionReuse: true }],
];

async function withServer(
  options: InteropServerOptions,
  body: (server: InteropServer, data: Buffer) => Promise<void>,
): Promise<void> {
  const server = await startInteropServer('ftps', options);
  try {
    const data = await makeFile(path.join(server.home, 'file.bin'), 1_048_583);
    await body(server, data);
  } finally {
    await server.close();
  }
}

describeWithTool(CURL, 'interop variants: curl', () => {
  it.each(VARIANTS)('downloads and uploads over %s', async (_name, options) => {
    await withServer(options, async (server, data) => {
      const scheme = options.tlsMode === 'implicit' ? 'ftps' : 'ftp';
      const base = `${scheme}://127.0.0.1:${server.port}`;
      const common = ['-sS', '--max-time', '25', '--ssl-reqd', '--insecure'];
      const user = ['--user', `${INTEROP_USER}:${INTEROP_PASSWORD}`];
      const out = path.join(server.local, 'file.bin');
      expectOk(
        await runClient('curl', [...common, ...user, '-o', out, `${base}/file.bin`]),
        'RETR',
      );
      expect(await sha256File(out)).toBe(sha256(data));
      expectOk(
        await runClient('curl', [...common, ...user, '-T', out, `${base}/copy.bin`]),
        'STOR',
      );
      expect(await sha256File(path.join(server.home, 'copy.bin'))).toBe(sha256(data));
    });
  });
});

describeWithTool(LFTP, 'interop variants: lftp', () => {
  const cases: Array<[string, InteropServerOptions, boolean]> = [
    ...VARIANTS.map(([name, options]): [string, InteropServerOptions, boolean] => [
      name,
      options,
      true,
    ]),
    ['explicit FTPS in active mode (PORT)', {}, false],
  ];

  it.each(cases)('downloads and uploads over %s', async (_name, options, passive) => {
    await withServer(options, async (server, data) => {
      const scheme = options.tlsMode === 'implicit' ? 'ftps' : 'ftp';
      const script = path.join(server.local, 'variant.lftp');
      await writeFile(
        script,
        [
          'set cmd:fail-exit yes',
          'set net:max-retries 1',
          'set net:timeout 10',
          'set xfer:clobber yes',
          'set ssl:verify-certificate no',
          'set ftp:ssl-force yes',
          'set ftp:ssl-protect-data yes',
          `set ftp:passive-mode ${passive ? 'yes' : 'no'}`,
          `open -u ${INTEROP_USER},${INTEROP_PASSWORD} -p ${server.port} ${scheme}://127.0.0.1`,
          'get file.bin -o file.bin',
          'put file.bin -o copy.bin',
          '',
        ].join('\n'),
      );
      const result = await runClient('lftp', ['-d', '-f', script], {
        cwd: server.local,
        env: clientEnv(server.local),
      });
      expectOk(result, 'lftp get/put');
      if (!passive) expect(result.stderr).toMatch(/---> (PORT|EPRT) /);
      expect(await sha256File(path.join(server.local, 'file.bin'))).toBe(sha256(data));
      expect(await sha256File(path.join(server.home, 'copy.bin'))).toBe(sha256(data));
    });
  });
});

describeWithTool(PYTHON3, 'interop variants: Python ftplib', (python) => {
  const script = path.join(__dirname, 'clients', 'ftplib_client.py');

  it.each(['plain', 'ftps'] as const)('downloads in active mode (PORT) over %s', async (mode) => {
    const server = await startInteropServer(mode);
    try {
      const data = await makeFile(path.join(server.home, 'file.bin'), 1_048_583);
      const local = path.join(server.local, 'file.bin');
      const result = await runClient(python.executable, [
        script,
        String(server.port),
        mode,
        'download_active',
        'file.bin',
        local,
      ]);
      expectOk(result, 'ftplib active download');
      expect(await sha256File(local)).toBe(sha256(data));
    } finally {
      await server.close();
    }
  });

  it('is refused with 522 when session reuse is mandatory (ftplib never resumes)', async () => {
    await withServer({ requireSessionReuse: true }, async (server) => {
      const result = await runClient(python.executable, [
        script,
        String(server.port),
        'ftps',
        'download',
        'file.bin',
        path.join(server.local, 'file.bin'),
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/error_perm: 522 /);
    });
  });
});

describeWithTool(RCLONE, 'interop variants: rclone', () => {
  it.each(VARIANTS)('downloads and uploads over %s', async (_name, options) => {
    await withServer(options, async (server, data) => {
      const obscured = await runClient('rclone', ['obscure', INTEROP_PASSWORD]);
      expectOk(obscured, 'rclone obscure');
      const remote = [
        ':ftp',
        'host=127.0.0.1',
        `port=${server.port}`,
        `user=${INTEROP_USER}`,
        `pass=${obscured.stdout.trim()}`,
        options.tlsMode === 'implicit' ? 'tls=true' : 'explicit_tls=true',
        'no_check_certificate=true',
      ].join(',');
      const flags = [
        '--config',
        path.join(server.local, 'rclone.conf'),
        '--contimeout',
        '10s',
        '--timeout',
        '20s',
        '--retries',
        '1',
        '--low-level-retries',
        '1',
      ];
      const env = clientEnv(server.local);
      const local = path.join(server.local, 'file.bin');
      expectOk(
        await runClient('rclone', ['copyto', `${remote}:file.bin`, local, ...flags], { env }),
        'rclone download',
      );
      expect(await sha256File(local)).toBe(sha256(data));
      expectOk(
        await runClient('rclone', ['copyto', local, `${remote}:copy.bin`, ...flags], { env }),
        'rclone upload',
      );
      expect(await sha256File(path.join(server.home, 'copy.bin'))).toBe(sha256(data));
    });
  });
});
