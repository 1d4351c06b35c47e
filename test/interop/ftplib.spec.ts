import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

import { describeWithTool, PYTHON3 } from '../support/require-tool';
import {
  expectTlsMatchesMode,
  type InteropServer,
  makeFile,
  MODES,
  sha256,
  sha256File,
  startInteropServer,
} from './interop-server';
import { expectOk, runClient } from './run-client';

jest.setTimeout(120_000);

const SCRIPT = path.join(__dirname, 'clients', 'ftplib_client.py');

describeWithTool(PYTHON3, 'interop: Python ftplib', (python) => {
  describe.each(MODES)('%s', (mode) => {
    let server: InteropServer;

    beforeAll(async () => {
      server = await startInteropServer(mode);
    });

    afterAll(async () => {
      await server?.close();
    });

    /** Runs one scripted ftplib session and returns its JSON result. */
    async function ftplib(action: string, ...args: string[]): Promise<Record<string, unknown>> {
      const result = await runClient(python.executable, [
        SCRIPT,
        String(server.port),
        mode,
        action,
        ...args,
      ]);
      expectOk(result, `ftplib ${action}`);
      const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
      if (action !== 'bad_login') expect(parsed.tls).toBe(mode === 'ftps');
      return parsed;
    }

    it('logs in and lists with LIST and MLSD', async () => {
      await writeFile(path.join(server.home, 'listed.txt'), 'hello');
      await mkdir(path.join(server.home, 'folder'));
      const list = await ftplib('list', '.');
      expect((list.lines as string[]).join('\n')).toMatch(/^-.* 5 .* listed\.txt$/m);
      expect((list.lines as string[]).join('\n')).toMatch(/^d.* folder$/m);
      const mlsd = await ftplib('mlsd', '/');
      const entries = mlsd.entries as Record<string, Record<string, string>>;
      expect(entries['listed.txt']).toMatchObject({ type: 'file', size: '5' });
      expect(entries['folder']).toMatchObject({ type: 'dir' });
      expect(entries['listed.txt']!.unique).toBeTruthy();
    });

    it('refuses a wrong password with 530', async () => {
      const result = await ftplib('bad_login');
      expect(result.error).toMatch(/^530 /);
    });

    it('creates a directory, changes into it and uploads byte for byte', async () => {
      const local = path.join(server.local, 'upload.bin');
      const data = await makeFile(local, 1_500_017);
      const result = await ftplib('mkdir_cwd_upload', 'up dir', local, 'upload.bin');
      expect(result).toMatchObject({ mkd: '/up dir', pwd: '/up dir' });
      expect(result.reply).toMatch(/^226 /);
      expect(await sha256File(path.join(server.home, 'up dir', 'upload.bin'))).toBe(sha256(data));
    });

    it('downloads byte for byte', async () => {
      const data = await makeFile(path.join(server.home, 'down.bin'), 2_000_003);
      const result = await ftplib('download', 'down.bin', path.join(server.local, 'down.bin'));
      expect(result.sha256).toBe(sha256(data));
    });

    it('resumes a download with REST', async () => {
      const data = await makeFile(path.join(server.home, 'resume-down.bin'), 1_234_567);
      const local = path.join(server.local, 'resume-down.bin');
      await writeFile(local, data.subarray(0, 500_000));
      const result = await ftplib('resume_download', 'resume-down.bin', local);
      expect(result).toMatchObject({ offset: 500_000, sha256: sha256(data) });
    });

    it('resumes an upload with REST + STOR, keeping the bytes already there', async () => {
      const local = path.join(server.local, 'resume-up.bin');
      const data = await makeFile(local, 1_700_001);
      await writeFile(path.join(server.home, 'resume-up.bin'), data.subarray(0, 650_000));
      const result = await ftplib('resume_upload', local, 'resume-up.bin');
      expect(result).toMatchObject({ offset: 650_000 });
      expect(await sha256File(path.join(server.home, 'resume-up.bin'))).toBe(sha256(data));
      expect((await readdir(server.home)).filter((n) => n.startsWith('.wharf-upload-'))).toEqual(
        [],
      );
    });

    it('appends with APPE', async () => {
      await writeFile(path.join(server.home, 'log.txt'), 'first\n');
      const local = path.join(server.local, 'extra.txt');
      await writeFile(local, 'second\n');
      await ftplib('append', local, 'log.txt');
      expect(await readFile(path.join(server.home, 'log.txt'), 'utf8')).toBe('first\nsecond\n');
    });

    it('renames, deletes and removes a directory', async () => {
      await mkdir(path.join(server.home, 'box'));
      await writeFile(path.join(server.home, 'box', 'a.txt'), 'a');
      const result = await ftplib('rename_delete_rmdir', 'box/a.txt', 'b.txt', 'box');
      expect(result.replies).toEqual([
        expect.stringMatching(/^250 /),
        expect.stringMatching(/^250 /),
        expect.stringMatching(/^250 /),
      ]);
      expect(result.deleteMissing).toMatch(/^550 /);
      expect(await readdir(server.home)).not.toEqual(expect.arrayContaining(['box', 'b.txt']));
    });

    it('sets the time with MFMT and reads it back with MDTM and SIZE', async () => {
      const data = await makeFile(path.join(server.home, 'dated.bin'), 12_345);
      const result = await ftplib('times', 'dated.bin', '20200102030405');
      expect(result.mfmt).toMatch(/^213 modify=20200102030405;? /i);
      expect(result.mdtm).toBe('213 20200102030405');
      expect(result.size).toBe(data.length);
      expect((await stat(path.join(server.home, 'dated.bin'))).mtime.toISOString()).toBe(
        '2020-01-02T03:04:05.000Z',
      );
    });

    it.each([
      ['SHA-256', 'sha256'],
      ['SHA-1', 'sha1'],
      ['MD5', 'md5'],
    ])('answers HASH with %s', async (algorithm, node) => {
      const data = await makeFile(path.join(server.home, 'hashed.bin'), 777_777);
      const digest = createHash(node).update(data).digest('hex');
      const result = await ftplib('hash', 'hashed.bin', algorithm);
      expect(result.opts).toMatch(/^200 /);
      expect(result.hash).toBe(`213 ${algorithm} 0-${data.length} ${digest} hashed.bin`);
    });

    it('ran every session with TLS in ftps mode and without in plain mode', () => {
      expectTlsMatchesMode(server);
    });
  });
});
