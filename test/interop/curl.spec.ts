import { readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

import { CURL, describeWithTool } from '../support/require-tool';
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
import { type ClientResult, expectOk, runClient } from './run-client';

jest.setTimeout(120_000);

describeWithTool(CURL, 'interop: curl', () => {
  describe.each(MODES)('%s', (mode) => {
    let server: InteropServer;

    beforeAll(async () => {
      server = await startInteropServer(mode);
    });

    afterAll(async () => {
      await server?.close();
    });

    const url = (remote = '') => `ftp://127.0.0.1:${server.port}/${remote}`;

    function curl(args: string[]): Promise<ClientResult> {
      return runClient('curl', [
        '--silent',
        '--show-error',
        '--max-time',
        '25',
        '--connect-timeout',
        '10',
        '--user',
        `${INTEROP_USER}:${INTEROP_PASSWORD}`,
        // Explicit FTPS on control and data (curl then sends PROT P); the certificate is self-signed.
        ...(mode === 'ftps' ? ['--ssl-reqd', '--insecure'] : []),
        ...args,
      ]);
    }

    async function noTemporaryFiles(dir = server.home): Promise<void> {
      const names = await readdir(dir, { recursive: true });
      expect(names.filter((name) => name.includes('.wharf-upload-'))).toEqual([]);
    }

    it('logs in and lists with LIST and MLSD', async () => {
      await writeFile(path.join(server.home, 'listed.txt'), 'hello');
      const list = await curl([url()]);
      expectOk(list, 'LIST');
      expect(list.stdout).toMatch(/^-.* 5 .* listed\.txt\r?$/m);
      const mlsd = await curl(['--request', 'MLSD', url()]);
      expectOk(mlsd, 'MLSD');
      expect(mlsd.stdout).toMatch(/type=file;.*size=5;.* listed\.txt\r?$/im);
    });

    it('refuses a wrong password', async () => {
      const result = await runClient('curl', [
        '--silent',
        '--max-time',
        '25',
        '--user',
        `${INTEROP_USER}:wrong`,
        ...(mode === 'ftps' ? ['--ssl-reqd', '--insecure'] : []),
        url(),
      ]);
      // 67: "The user name, password, or similar was not accepted".
      expect(result.code).toBe(67);
    });

    it('creates a directory, changes into it and uploads a file byte for byte', async () => {
      const file = path.join(server.local, 'upload.bin');
      const data = await makeFile(file, 1_500_017);
      const mkd = await curl(['--quote', 'MKD up', url()]);
      expectOk(mkd, 'MKD');
      // curl sends CWD up, then STOR upload.bin.
      expectOk(await curl(['--upload-file', file, url('up/upload.bin')]), 'STOR');
      expect(await sha256File(path.join(server.home, 'up', 'upload.bin'))).toBe(sha256(data));
      await noTemporaryFiles();
    });

    it('downloads a file byte for byte', async () => {
      const data = await makeFile(path.join(server.home, 'down.bin'), 2_000_003);
      const out = path.join(server.local, 'down.bin');
      expectOk(await curl(['--output', out, url('down.bin')]), 'RETR');
      expect(await sha256File(out)).toBe(sha256(data));
    });

    it('resumes a download with REST', async () => {
      const data = await makeFile(path.join(server.home, 'resume-down.bin'), 1_234_567);
      const out = path.join(server.local, 'resume-down.bin');
      await writeFile(out, data.subarray(0, 400_000));
      expectOk(
        await curl(['--continue-at', '-', '--output', out, url('resume-down.bin')]),
        'REST + RETR',
      );
      expect(await sha256File(out)).toBe(sha256(data));
      const download = server.events.filter(
        (e) => e.type === 'download' && e.path === '/resume-down.bin',
      );
      expect(download.at(-1)).toMatchObject({ outcome: 'ok', bytes: data.length - 400_000 });
    });

    it('resumes an upload (SIZE, then APPE from the remote size)', async () => {
      const file = path.join(server.local, 'resume-up.bin');
      const data = await makeFile(file, 1_700_001);
      await writeFile(path.join(server.home, 'resume-up.bin'), data.subarray(0, 650_000));
      expectOk(
        await curl(['--continue-at', '-', '--upload-file', file, url('resume-up.bin')]),
        'resumed upload',
      );
      expect(await sha256File(path.join(server.home, 'resume-up.bin'))).toBe(sha256(data));
      await noTemporaryFiles();
    });

    it('appends with APPE', async () => {
      await writeFile(path.join(server.home, 'log.txt'), 'first\n');
      const extra = path.join(server.local, 'extra.txt');
      await writeFile(extra, 'second\n');
      expectOk(await curl(['--append', '--upload-file', extra, url('log.txt')]), 'APPE');
      expect(await readFile(path.join(server.home, 'log.txt'), 'utf8')).toBe('first\nsecond\n');
    });

    it('renames, deletes and removes a directory', async () => {
      await makeFile(path.join(server.home, 'old-name.txt'), 10);
      expectOk(
        await curl(['--quote', 'RNFR old-name.txt', '--quote', 'RNTO new-name.txt', url()]),
        'RNFR/RNTO',
      );
      expect((await readdir(server.home)).sort()).toContain('new-name.txt');
      expect(await readdir(server.home)).not.toContain('old-name.txt');
      expectOk(await curl(['--quote', 'DELE new-name.txt', url()]), 'DELE');
      expect(await readdir(server.home)).not.toContain('new-name.txt');
      expectOk(await curl(['--quote', 'MKD gone', '--quote', 'RMD gone', url()]), 'MKD/RMD');
      expect(await readdir(server.home)).not.toContain('gone');
      const missing = await curl(['--quote', 'DELE no-such-file', url()]);
      // 21: "quote command returned error".
      expect(missing.code).toBe(21);
    });

    it('sets the time with MFMT and reads SIZE and MDTM back', async () => {
      const data = await makeFile(path.join(server.home, 'dated.bin'), 12_345);
      expectOk(await curl(['--quote', 'MFMT 20200102030405 dated.bin', url()]), 'MFMT');
      expect((await stat(path.join(server.home, 'dated.bin'))).mtime.toISOString()).toBe(
        '2020-01-02T03:04:05.000Z',
      );
      // --head on an FTP URL sends MDTM and SIZE and prints them as headers.
      const head = await curl(['--head', url('dated.bin')]);
      expectOk(head, 'MDTM/SIZE');
      expect(head.stdout).toMatch(/Last-Modified: Thu, 02 Jan 2020 03:04:05 GMT/);
      expect(head.stdout).toMatch(new RegExp(`Content-Length: ${data.length}\\b`));
      // -R gives the downloaded copy the MDTM time.
      const out = path.join(server.local, 'dated.bin');
      expectOk(await curl(['--remote-time', '--output', out, url('dated.bin')]), 'RETR -R');
      expect((await stat(out)).mtime.toISOString()).toBe('2020-01-02T03:04:05.000Z');
    });

    it('answers HASH with the SHA-256 of the file', async () => {
      const data = await makeFile(path.join(server.home, 'hashed.bin'), 777_777);
      const result = await curl(['--verbose', '--quote', 'HASH hashed.bin', url()]);
      expectOk(result, 'HASH');
      expect(result.stderr).toContain(`< 213 SHA-256 0-${data.length} ${sha256(data)} hashed.bin`);
    });

    it('never serves a file outside the home (dot-dot paths, a symlink leading out)', async () => {
      const outside = path.join(path.dirname(server.home), 'outside-secret.txt');
      await writeFile(outside, 'not for ftp users');
      await symlink(outside, path.join(server.home, 'link-out.txt'));
      for (const remote of ['../outside-secret.txt', '%2e%2e/outside-secret.txt', 'link-out.txt']) {
        const out = path.join(server.local, 'stolen.txt');
        const result = await curl(['--path-as-is', '--output', out, url(remote)]);
        expect(result.code).not.toBe(0);
        await expect(readFile(out, 'utf8')).rejects.toThrow();
      }
      await writeFile(path.join(server.home, 'mine.txt'), 'mine');
      // RNFR of the escaping link is refused (the engine stats it and the jail says no).
      const linkRename = await curl(['--quote', 'RNFR link-out.txt', url()]);
      expect(linkRename.code).toBe(21);
      const rename = await curl([
        '--path-as-is',
        '--quote',
        'RNFR mine.txt',
        '--quote',
        'RNTO ../moved.txt',
        url(),
      ]);
      expectOk(rename, 'RNTO ../ (collapsed to /moved.txt)');
      expect(await readdir(path.dirname(server.home))).not.toContain('moved.txt');
      expect(await readFile(path.join(server.home, 'moved.txt'), 'utf8')).toBe('mine');
      expect(await readFile(outside, 'utf8')).toBe('not for ftp users');
    });

    it('shows the virtual root in PWD, never the real path', async () => {
      const result = await curl(['--verbose', '--quote', 'PWD', url()]);
      expectOk(result, 'PWD');
      expect(result.stderr).toContain('< 257 "/"');
      expect(result.stderr).not.toContain(server.home);
    });

    it('ran every session with TLS in ftps mode and without in plain mode', () => {
      expectTlsMatchesMode(server);
    });
  });
});
