import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

import { describeWithTool, RCLONE } from '../support/require-tool';
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

/**
 * rclone has no resumed transfers, APPE, SIZE or HASH over FTP (its FTP
 * backend offers no checksums); what it does offer is driven here, with
 * MLSD, EPSV, MFMT and its TLS session cache on data connections.
 */
describeWithTool(RCLONE, 'interop: rclone', () => {
  describe.each(MODES)('%s', (mode) => {
    let server: InteropServer;
    let remote: string;

    beforeAll(async () => {
      server = await startInteropServer(mode);
      const obscured = await runClient('rclone', ['obscure', INTEROP_PASSWORD]);
      expectOk(obscured, 'rclone obscure');
      // An on-the-fly remote: no config file is read or written.
      remote = [
        ':ftp',
        'host=127.0.0.1',
        `port=${server.port}`,
        `user=${INTEROP_USER}`,
        `pass=${obscured.stdout.trim()}`,
        ...(mode === 'ftps' ? ['explicit_tls=true', 'no_check_certificate=true'] : []),
      ].join(',');
    });

    afterAll(async () => {
      await server?.close();
    });

    function rclone(args: string[]): Promise<ClientResult> {
      return runClient(
        'rclone',
        [
          ...args,
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
          '--ftp-close-timeout',
          '10s',
          '--ftp-shut-timeout',
          '10s',
          '-vv',
        ],
        { cwd: server.local, env: clientEnv(server.local) },
      );
    }

    const at = (remotePath = '') => `${remote}:${remotePath}`;

    it('logs in and lists with MLSD and with LIST', async () => {
      await writeFile(path.join(server.home, 'listed.txt'), 'hello');
      await mkdir(path.join(server.home, 'folder'));
      const mlsd = await rclone(['lsf', at()]);
      expectOk(mlsd, 'lsf (MLSD)');
      expect(mlsd.stdout.split('\n').sort()).toEqual(['', 'folder/', 'listed.txt']);
      const list = await rclone(['lsl', '--ftp-disable-mlsd', at()]);
      expectOk(list, 'lsl (LIST)');
      expect(list.stdout).toMatch(/^\s+5 \S+ \S+ listed\.txt$/m);
    });

    it('refuses a wrong password', async () => {
      const wrong = await runClient('rclone', ['obscure', 'wrong']);
      const bad = remote.replace(/pass=[^,]+/, `pass=${wrong.stdout.trim()}`);
      const result = await runClient(
        'rclone',
        ['lsf', `${bad}:`, '--config', path.join(server.local, 'rclone.conf'), '--retries', '1'],
        { env: clientEnv(server.local) },
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/530/);
    });

    it('creates a directory and uploads byte for byte, setting the time with MFMT', async () => {
      const local = path.join(server.local, 'upload.bin');
      const data = await makeFile(local, 1_500_017);
      await utimes(local, OLD_TIME, OLD_TIME);
      expectOk(await rclone(['mkdir', at('up')]), 'mkdir');
      expectOk(await rclone(['copyto', local, at('up/upload.bin')]), 'copyto (upload)');
      const onDisk = path.join(server.home, 'up', 'upload.bin');
      expect(await sha256File(onDisk)).toBe(sha256(data));
      expect((await stat(onDisk)).mtime.toISOString()).toBe(OLD_TIME.toISOString());
    });

    it('downloads byte for byte and takes the time from the listing', async () => {
      const data = await makeFile(path.join(server.home, 'down.bin'), 2_000_003);
      await utimes(path.join(server.home, 'down.bin'), OLD_TIME, OLD_TIME);
      const local = path.join(server.local, 'down.bin');
      expectOk(await rclone(['copyto', at('down.bin'), local]), 'copyto (download)');
      expect(await sha256File(local)).toBe(sha256(data));
      expect((await stat(local)).mtime.toISOString()).toBe(OLD_TIME.toISOString());
    });

    it('reads from an offset with REST (cat --offset)', async () => {
      // Text content: rclone cat writes to stdout, which the runner reads as UTF-8.
      const text = randomBytes(300_000).toString('hex');
      await writeFile(path.join(server.home, 'offset.txt'), text);
      const result = await rclone(['cat', '--offset', '123457', at('offset.txt')]);
      expectOk(result, 'cat --offset');
      expect(result.stdout).toBe(text.slice(123_457));
    });

    it('renames, deletes and removes a directory', async () => {
      await mkdir(path.join(server.home, 'box'));
      await writeFile(path.join(server.home, 'box', 'a.txt'), 'a');
      expectOk(await rclone(['moveto', at('box/a.txt'), at('b.txt')]), 'moveto (RNFR/RNTO)');
      expect(await readFile(path.join(server.home, 'b.txt'), 'utf8')).toBe('a');
      expectOk(await rclone(['deletefile', at('b.txt')]), 'deletefile');
      expectOk(await rclone(['rmdir', at('box')]), 'rmdir');
      const names = await readdir(server.home);
      expect(names).not.toContain('box');
      expect(names).not.toContain('b.txt');
    });

    it('sets a modification time with touch (MFMT)', async () => {
      await writeFile(path.join(server.home, 'touched.txt'), 't');
      expectOk(
        await rclone(['touch', '--timestamp', '2020-01-02T03:04:05', at('touched.txt')]),
        'touch',
      );
      expect((await stat(path.join(server.home, 'touched.txt'))).mtime.toISOString()).toBe(
        OLD_TIME.toISOString(),
      );
    });

    it('ran every session with TLS in ftps mode and without in plain mode', () => {
      expectTlsMatchesMode(server);
    });
  });
});
