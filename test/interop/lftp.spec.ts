import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

import { describeWithTool, LFTP } from '../support/require-tool';
import {
  expectTlsMatchesMode,
  INTEROP_PASSWORD,
  INTEROP_USER,
  type InteropServer,
  makeFile,
  MODES,
  sha256,
  sha256File,
  startInteropServer,
} from './interop-server';
import { clientEnv, type ClientResult, expectOk, runClient } from './run-client';

jest.setTimeout(120_000);

const OLD_TIME = new Date('2020-01-02T03:04:05Z');

describeWithTool(LFTP, 'interop: lftp', () => {
  describe.each(MODES)('%s', (mode) => {
    let server: InteropServer;

    beforeAll(async () => {
      server = await startInteropServer(mode);
    });

    afterAll(async () => {
      await server?.close();
    });

    /**
     * Runs an lftp script with debug output on stderr (the protocol
     * transcript, "---> CMD" / "<--- reply"), so tests can check what was sent.
     */
    async function lftp(commands: string[]): Promise<ClientResult> {
      const script = [
        'set cmd:fail-exit yes',
        'set net:max-retries 1',
        'set net:timeout 10',
        'set net:reconnect-interval-base 1',
        'set xfer:clobber yes',
        ...(mode === 'ftps'
          ? [
              'set ssl:verify-certificate no',
              'set ftp:ssl-force yes',
              'set ftp:ssl-protect-data yes',
              'set ftp:ssl-protect-list yes',
            ]
          : ['set ftp:ssl-allow no']),
        `open -u ${INTEROP_USER},${INTEROP_PASSWORD} -p ${server.port} 127.0.0.1`,
        ...commands,
      ];
      const file = path.join(server.local, `script-${Date.now()}-${Math.random()}.lftp`);
      await writeFile(file, `${script.join('\n')}\n`);
      const result = await runClient('lftp', ['-d', '-f', file], {
        cwd: server.local,
        env: clientEnv(server.local),
      });
      if (mode === 'ftps' && result.code === 0) {
        // The transcript proves TLS on control (AUTH TLS) and data (PROT P).
        expect(result.stderr).toMatch(/---> AUTH TLS/);
        expect(result.stderr).toMatch(/---> PROT P/);
      }
      return result;
    }

    it('logs in and lists with LIST and MLSD', async () => {
      await writeFile(path.join(server.home, 'listed.txt'), 'hello');
      await mkdir(path.join(server.home, 'folder'));
      const list = await lftp(['set ftp:use-mlsd no', 'ls']);
      expectOk(list, 'LIST');
      expect(list.stdout).toMatch(/^-.* 5 .* listed\.txt$/m);
      expect(list.stdout).toMatch(/^d.* folder$/m);
      const mlsd = await lftp(['set ftp:use-mlsd yes', 'cls -l']);
      expectOk(mlsd, 'MLSD');
      expect(mlsd.stderr).toMatch(/---> MLSD/);
      expect(mlsd.stdout).toMatch(/^-.* 5 .* listed\.txt$/m);
      expect(mlsd.stdout).toMatch(/^d.* folder\/$/m);
    });

    it('refuses a wrong password', async () => {
      const file = path.join(server.local, 'bad-login.lftp');
      await writeFile(
        file,
        [
          'set cmd:fail-exit yes',
          'set net:max-retries 1',
          ...(mode === 'ftps'
            ? ['set ssl:verify-certificate no', 'set ftp:ssl-force yes']
            : ['set ftp:ssl-allow no']),
          `open -u ${INTEROP_USER},wrong -p ${server.port} 127.0.0.1`,
          'ls',
          '',
        ].join('\n'),
      );
      const result = await runClient('lftp', ['-f', file], { env: clientEnv(server.local) });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/Login failed|530/);
    });

    it('creates a directory, changes into it and uploads byte for byte', async () => {
      const local = path.join(server.local, 'upload.bin');
      const data = await makeFile(local, 1_500_017);
      expectOk(await lftp(['mkdir up', 'cd up', 'put upload.bin']), 'mkdir/cd/put');
      expect(await sha256File(path.join(server.home, 'up', 'upload.bin'))).toBe(sha256(data));
    });

    it('downloads byte for byte', async () => {
      const data = await makeFile(path.join(server.home, 'down.bin'), 2_000_003);
      expectOk(await lftp(['get down.bin -o down.bin']), 'get');
      expect(await sha256File(path.join(server.local, 'down.bin'))).toBe(sha256(data));
    });

    it('resumes a download with REST', async () => {
      const data = await makeFile(path.join(server.home, 'resume-down.bin'), 1_234_567);
      await writeFile(path.join(server.local, 'resume-down.bin'), data.subarray(0, 400_000));
      const result = await lftp(['get -c resume-down.bin -o resume-down.bin']);
      expectOk(result, 'get -c');
      expect(result.stderr).toMatch(/---> REST 400000/);
      expect(await sha256File(path.join(server.local, 'resume-down.bin'))).toBe(sha256(data));
    });

    it('resumes an upload with reput (REST + STOR), keeping the bytes already there', async () => {
      const data = await makeFile(path.join(server.local, 'resume-up.bin'), 1_700_001);
      await writeFile(path.join(server.home, 'resume-up.bin'), data.subarray(0, 650_000));
      const result = await lftp(['reput resume-up.bin']);
      expectOk(result, 'reput');
      expect(result.stderr).toMatch(/---> REST 650000/);
      expect(await sha256File(path.join(server.home, 'resume-up.bin'))).toBe(sha256(data));
      expect((await readdir(server.home)).filter((n) => n.startsWith('.wharf-upload-'))).toEqual(
        [],
      );
    });

    it('renames, deletes and removes a directory', async () => {
      await mkdir(path.join(server.home, 'box'));
      await writeFile(path.join(server.home, 'box', 'a.txt'), 'a');
      expectOk(await lftp(['mv box/a.txt b.txt', 'rm b.txt', 'rmdir box']), 'mv/rm/rmdir');
      const names = await readdir(server.home);
      expect(names).not.toContain('box');
      expect(names).not.toContain('b.txt');
      const missing = await lftp(['rm no-such-file']);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/<--- 550/);
    });

    it('keeps modification times both ways (MFMT on upload, MDTM on download)', async () => {
      const local = path.join(server.local, 'dated-up.bin');
      await makeFile(local, 4096);
      await utimes(local, OLD_TIME, OLD_TIME);
      const up = await lftp(['put dated-up.bin']);
      expectOk(up, 'put');
      expect(up.stderr).toMatch(/---> MFMT 20200102030405 /);
      expect((await stat(path.join(server.home, 'dated-up.bin'))).mtime.toISOString()).toBe(
        OLD_TIME.toISOString(),
      );

      await makeFile(path.join(server.home, 'dated-down.bin'), 4096);
      await utimes(path.join(server.home, 'dated-down.bin'), OLD_TIME, OLD_TIME);
      const down = await lftp(['get dated-down.bin -o dated-down.bin']);
      expectOk(down, 'get');
      expect(down.stderr).toMatch(/---> MDTM dated-down\.bin/);
      expect((await stat(path.join(server.local, 'dated-down.bin'))).mtime.toISOString()).toBe(
        OLD_TIME.toISOString(),
      );
    });

    it('reads SIZE, MDTM and HASH with raw commands', async () => {
      const data = await makeFile(path.join(server.home, 'raw.bin'), 777_777);
      await utimes(path.join(server.home, 'raw.bin'), OLD_TIME, OLD_TIME);
      const result = await lftp(['quote SIZE raw.bin', 'quote MDTM raw.bin', 'quote HASH raw.bin']);
      expectOk(result, 'quote');
      expect(result.stdout).toContain(`213 ${data.length}`);
      expect(result.stdout).toContain('213 20200102030405');
      expect(result.stdout).toContain(`213 SHA-256 0-${data.length} ${sha256(data)} raw.bin`);
    });

    it('ran every session with TLS in ftps mode and without in plain mode', () => {
      expectTlsMatchesMode(server);
    });
  });
});
