import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';

import { FileSystemError, type FileSystemErrorCode } from '@wharf/ftp-protocol';

import { LocalFileSystem } from './local-file-system';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function upload(
  fs: LocalFileSystem,
  file: string,
  data: Buffer,
  options?: { offset?: number; append?: boolean },
): Promise<number> {
  const handle = await fs.write(file, options);
  await new Promise<void>((resolve, reject) =>
    handle.stream.end(data, (error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return (await handle.commit()).size;
}

async function expectCode(promise: Promise<unknown>, code: FileSystemErrorCode): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileSystemError);
  expect((error as FileSystemError).code).toBe(code);
}

async function collect(iterable: AsyncIterable<{ name: string }>): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of iterable) names.push(entry.name);
  return names.sort();
}

describe('LocalFileSystem', () => {
  let sandbox: string;
  let home: string;
  let outside: string;
  let fs: LocalFileSystem;

  beforeEach(async () => {
    sandbox = await mkdtemp(path.join(os.tmpdir(), 'wharf-localfs-'));
    home = path.join(sandbox, 'home');
    outside = path.join(sandbox, 'outside');
    await mkdir(home);
    await mkdir(outside);
    await writeFile(path.join(outside, 'secret.txt'), 'top secret');
    fs = new LocalFileSystem(home);
  });

  afterEach(async () => {
    await rm(sandbox, { recursive: true, force: true });
  });

  describe('jail: lexical escapes are refused with INVALID_PATH', () => {
    const attempts: Array<[string, string]> = [
      ['parent segment at the root', '/../outside/secret.txt'],
      ['parent segment deeper down', '/a/../../outside/secret.txt'],
      ['bare parent segment', '..'],
      ['backslash separator', '/..\\outside\\secret.txt'],
      ['backslash inside a name', '/a\\b'],
      ['double slash', '//outside/secret.txt'],
      ['double slash in the middle', '/a//b'],
      ['dot segment', '/./secret.txt'],
      ['trailing slash', '/a/'],
      ['relative path', 'outside/secret.txt'],
      ['empty path', ''],
      ['NUL byte', '/secret.txt\0.jpg'],
      ['percent-encoded dots', '/%2e%2e/outside/secret.txt'],
      ['percent-encoded uppercase dots', '/%2E%2E/outside'],
      ['percent-encoded slash', '/..%2foutside%2fsecret.txt'],
      ['percent-encoded backslash', '/..%5coutside'],
      ['percent-encoded NUL', '/a%00b'],
      ['double percent encoding', '/%252e%252e/outside'],
      ['overlong UTF-8 dot', '/%c0%ae%c0%ae/outside'],
      ['line break', '/a\r\nDELE b'],
      ['upload temporary name', '/.wharf-upload-1234.part'],
    ];

    it.each(attempts)('refuses %s (%j) for every operation', async (_why, attempt) => {
      await expectCode(fs.stat(attempt), 'INVALID_PATH');
      await expectCode(collect(fs.list(attempt)), 'INVALID_PATH');
      await expectCode(fs.read(attempt), 'INVALID_PATH');
      await expectCode(fs.write(attempt), 'INVALID_PATH');
      await expectCode(fs.mkdir(attempt), 'INVALID_PATH');
      await expectCode(fs.rmdir(attempt), 'INVALID_PATH');
      await expectCode(fs.delete(attempt), 'INVALID_PATH');
      await expectCode(fs.rename(attempt, '/x'), 'INVALID_PATH');
      await expectCode(fs.rename('/x', attempt), 'INVALID_PATH');
      await expectCode(fs.setModificationTime(attempt, new Date()), 'INVALID_PATH');
      await expectCode(fs.chmod(attempt, 0o644), 'INVALID_PATH');
      await expectCode(fs.hash(attempt, 'SHA-256'), 'INVALID_PATH');
    });

    it('keeps names that merely contain a percent sign or dots', async () => {
      await upload(fs, '/100% done..txt', Buffer.from('ok'));
      await upload(fs, '/...', Buffer.from('dots'));
      expect(await collect(fs.list('/'))).toEqual(['...', '100% done..txt']);
      expect((await fs.stat('/100% done..txt')).size).toBe(2);
    });
  });

  describe('jail: symlinks that lead outside are refused', () => {
    beforeEach(async () => {
      await symlink(path.join(outside, 'secret.txt'), path.join(home, 'file-link'));
      await symlink(outside, path.join(home, 'dir-link'));
      await symlink('../outside', path.join(home, 'relative-link'));
    });

    it('refuses to stat, read, hash, chmod or touch a file link pointing outside', async () => {
      await expectCode(fs.stat('/file-link'), 'PERMISSION_DENIED');
      await expectCode(fs.read('/file-link'), 'PERMISSION_DENIED');
      await expectCode(fs.openReader('/file-link'), 'PERMISSION_DENIED');
      await expectCode(fs.hash('/file-link', 'MD5'), 'PERMISSION_DENIED');
      await expectCode(fs.chmod('/file-link', 0o777), 'PERMISSION_DENIED');
      await expectCode(fs.setModificationTime('/file-link', new Date(0)), 'PERMISSION_DENIED');
      expect((await stat(path.join(outside, 'secret.txt'))).mtime.getTime()).not.toBe(0);
    });

    it('refuses to write through a file link pointing outside', async () => {
      await expectCode(fs.write('/file-link'), 'PERMISSION_DENIED');
      await expectCode(fs.write('/file-link', { append: true }), 'PERMISSION_DENIED');
      expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
    });

    it('refuses every operation below a directory link pointing outside', async () => {
      for (const link of ['/dir-link', '/relative-link']) {
        await expectCode(collect(fs.list(link)), 'PERMISSION_DENIED');
        await expectCode(fs.stat(`${link}/secret.txt`), 'PERMISSION_DENIED');
        await expectCode(fs.read(`${link}/secret.txt`), 'PERMISSION_DENIED');
        await expectCode(fs.write(`${link}/new.txt`), 'PERMISSION_DENIED');
        await expectCode(fs.mkdir(`${link}/sub`), 'PERMISSION_DENIED');
        await expectCode(fs.delete(`${link}/secret.txt`), 'PERMISSION_DENIED');
        await expectCode(fs.rename(`${link}/secret.txt`, '/stolen.txt'), 'PERMISSION_DENIED');
        await expectCode(fs.rename('/x', `${link}/planted.txt`), 'PERMISSION_DENIED');
      }
      expect(await readdir(outside)).toEqual(['secret.txt']);
    });

    it('refuses a rename whose target is outside, even when the source is inside', async () => {
      await upload(fs, '/mine.txt', Buffer.from('mine'));
      await expectCode(fs.rename('/mine.txt', '/dir-link/mine.txt'), 'PERMISSION_DENIED');
      expect(await readdir(outside)).toEqual(['secret.txt']);
    });

    it('hides links that lead outside from listings', async () => {
      await upload(fs, '/visible.txt', Buffer.from('v'));
      expect(await collect(fs.list('/'))).toEqual(['visible.txt']);
    });

    it('deletes an escaping link itself and leaves its target alone', async () => {
      await fs.delete('/file-link');
      expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
      await expectCode(fs.stat('/file-link'), 'NOT_FOUND');
    });

    it('refuses rmdir on a directory link instead of following it', async () => {
      await expectCode(fs.rmdir('/dir-link'), 'NOT_A_DIRECTORY');
      expect(await readdir(outside)).toEqual(['secret.txt']);
    });

    it('replaces a dangling link pointing outside instead of writing through it', async () => {
      await symlink(path.join(outside, 'planted.txt'), path.join(home, 'dangling'));
      await expectCode(fs.stat('/dangling'), 'NOT_FOUND');
      await upload(fs, '/dangling', Buffer.from('inside'));
      expect(await readdir(outside)).toEqual(['secret.txt']);
      expect((await readAll(await fs.read('/dangling'))).toString()).toBe('inside');
    });

    it('follows links that stay inside the jail', async () => {
      await mkdir(path.join(home, 'real-dir'));
      await writeFile(path.join(home, 'real-dir', 'a.txt'), 'abc');
      await symlink('real-dir', path.join(home, 'inner-link'));
      expect((await fs.stat('/inner-link')).type).toBe('dir');
      expect(await collect(fs.list('/inner-link'))).toEqual(['a.txt']);
      expect((await readAll(await fs.read('/inner-link/a.txt'))).toString()).toBe('abc');
      expect(await collect(fs.list('/'))).toEqual(['inner-link', 'real-dir']);
    });

    it('works when the root itself is reached through a symlink', async () => {
      const alias = path.join(sandbox, 'alias');
      await symlink(home, alias);
      const aliased = new LocalFileSystem(alias);
      await upload(aliased, '/via-alias.txt', Buffer.from('a'));
      expect(await readdir(home)).toContain('via-alias.txt');
      await expectCode(aliased.read('/file-link'), 'PERMISSION_DENIED');
    });

    it('never removes or renames the root', async () => {
      await expectCode(fs.rmdir('/'), 'PERMISSION_DENIED');
      await expectCode(fs.rename('/', '/x'), 'PERMISSION_DENIED');
      await expectCode(fs.delete('/'), 'IS_A_DIRECTORY');
    });
  });

  describe('atomic uploads', () => {
    it('shows nothing under the final name until commit', async () => {
      const handle = await fs.write('/big.bin');
      await new Promise<void>((resolve) => handle.stream.write(randomBytes(1000), () => resolve()));
      await expectCode(fs.stat('/big.bin'), 'NOT_FOUND');
      expect(await collect(fs.list('/'))).toEqual([]);
      const onDisk = await readdir(home);
      expect(onDisk).toHaveLength(1);
      expect(onDisk[0]).toMatch(/^\.wharf-upload-[0-9a-f-]{36}\.part$/);
      handle.stream.end(randomBytes(24));
      expect(await handle.commit()).toEqual({ size: 1024 });
      expect(await readdir(home)).toEqual(['big.bin']);
      expect((await fs.stat('/big.bin')).size).toBe(1024);
    });

    it('leaves nothing at all after abort', async () => {
      const handle = await fs.write('/partial.bin');
      await new Promise<void>((resolve) => handle.stream.write(randomBytes(5000), () => resolve()));
      await handle.abort();
      expect(await readdir(home)).toEqual([]);
      await handle.abort();
    });

    it('keeps the previous content of an overwritten file until commit, and after abort', async () => {
      await upload(fs, '/doc.txt', Buffer.from('version 1'));
      const handle = await fs.write('/doc.txt');
      await new Promise<void>((resolve) => handle.stream.write('version 2', () => resolve()));
      expect(await readFile(path.join(home, 'doc.txt'), 'utf8')).toBe('version 1');
      await handle.abort();
      expect(await readFile(path.join(home, 'doc.txt'), 'utf8')).toBe('version 1');
      expect(await readdir(home)).toEqual(['doc.txt']);
      await upload(fs, '/doc.txt', Buffer.from('version 3'));
      expect(await readFile(path.join(home, 'doc.txt'), 'utf8')).toBe('version 3');
    });

    it('keeps the permissions of an overwritten file', async () => {
      await upload(fs, '/script.sh', Buffer.from('#!/bin/sh'));
      await fs.chmod('/script.sh', 0o700);
      await upload(fs, '/script.sh', Buffer.from('#!/bin/sh\necho'));
      expect((await fs.stat('/script.sh')).mode).toBe(0o700);
    });

    it('refuses a second commit and a commit after abort', async () => {
      const handle = await fs.write('/once.txt');
      handle.stream.end('x');
      await handle.commit();
      await expectCode(handle.commit(), 'IO');
      const aborted = await fs.write('/never.txt');
      await aborted.abort();
      await expectCode(aborted.commit(), 'IO');
      expect(await readdir(home)).toEqual(['once.txt']);
    });

    it('refuses uploads onto a directory or into a missing directory', async () => {
      await fs.mkdir('/dir');
      await expectCode(fs.write('/dir'), 'IS_A_DIRECTORY');
      await expectCode(fs.write('/'), 'IS_A_DIRECTORY');
      await expectCode(fs.write('/missing/file.txt'), 'NOT_FOUND');
    });

    it('does not leave the temporary file behind when the directory vanished before commit', async () => {
      await fs.mkdir('/tmpdir');
      const handle = await fs.write('/tmpdir/f.txt');
      handle.stream.end('data');
      await rm(path.join(home, 'tmpdir'), { recursive: true });
      await expectCode(handle.commit(), 'NOT_FOUND');
    });
  });

  describe('REST + STOR and APPE', () => {
    it('keeps the bytes before the offset byte for byte and writes from there', async () => {
      const original = randomBytes(1024 * 1024 + 7);
      await writeFile(path.join(home, 'resume.bin'), original);
      const offset = 300_001;
      const rest = randomBytes(800_000);
      const handle = await fs.write('/resume.bin', { offset });
      handle.stream.end(rest);
      // The final name still holds the original until commit.
      expect((await readFile(path.join(home, 'resume.bin'))).equals(original)).toBe(true);
      expect(await handle.commit()).toEqual({ size: offset + rest.length });
      const result = await readFile(path.join(home, 'resume.bin'));
      expect(result.subarray(0, offset).equals(original.subarray(0, offset))).toBe(true);
      expect(result.subarray(offset).equals(rest)).toBe(true);
      expect(await readdir(home)).toEqual(['resume.bin']);
    });

    it('resumes at exactly the end of the file (the usual resumed upload)', async () => {
      const first = randomBytes(70_000);
      const second = randomBytes(90_000);
      await upload(fs, '/r.bin', first);
      await upload(fs, '/r.bin', second, { offset: first.length });
      expect(
        (await readFile(path.join(home, 'r.bin'))).equals(Buffer.concat([first, second])),
      ).toBe(true);
    });

    it('never zero-fills: an offset past the end or on a missing file is refused', async () => {
      await upload(fs, '/short.txt', Buffer.from('12345'));
      await expectCode(fs.write('/short.txt', { offset: 6 }), 'IO');
      await expectCode(fs.write('/absent.txt', { offset: 1 }), 'NOT_FOUND');
      await expectCode(fs.write('/short.txt', { offset: -1 }), 'INVALID_PATH');
      expect(await readdir(home)).toEqual(['short.txt']);
    });

    it('keeps the original intact when a resumed upload is aborted', async () => {
      const original = randomBytes(10_000);
      await writeFile(path.join(home, 'keep.bin'), original);
      const handle = await fs.write('/keep.bin', { offset: 5000 });
      await new Promise<void>((resolve) => handle.stream.write(randomBytes(100), () => resolve()));
      await handle.abort();
      expect((await readFile(path.join(home, 'keep.bin'))).equals(original)).toBe(true);
      expect(await readdir(home)).toEqual(['keep.bin']);
    });

    it('appends to an existing file atomically', async () => {
      await upload(fs, '/log.txt', Buffer.from('line 1\n'));
      const handle = await fs.write('/log.txt', { append: true });
      handle.stream.end('line 2\n');
      expect(await readFile(path.join(home, 'log.txt'), 'utf8')).toBe('line 1\n');
      expect(await handle.commit()).toEqual({ size: 14 });
      expect(await readFile(path.join(home, 'log.txt'), 'utf8')).toBe('line 1\nline 2\n');
    });

    it('creates the file when appending to a missing one', async () => {
      await upload(fs, '/new.txt', Buffer.from('first'), { append: true });
      expect(await readFile(path.join(home, 'new.txt'), 'utf8')).toBe('first');
    });
  });

  describe('reading', () => {
    it('streams from an offset', async () => {
      const data = randomBytes(600_000);
      await writeFile(path.join(home, 'data.bin'), data);
      expect((await readAll(await fs.read('/data.bin'))).equals(data)).toBe(true);
      expect(
        (await readAll(await fs.read('/data.bin', 123_457))).equals(data.subarray(123_457)),
      ).toBe(true);
      expect(await readAll(await fs.read('/data.bin', data.length))).toHaveLength(0);
    });

    it('refuses to read a directory or a missing file', async () => {
      await fs.mkdir('/d');
      for (const open of [(p: string) => fs.read(p), (p: string) => fs.openReader(p)]) {
        await expectCode(open('/d'), 'IS_A_DIRECTORY');
        await expectCode(open('/nope'), 'NOT_FOUND');
        await expectCode(open('/nope/deeper'), 'NOT_FOUND');
      }
    });

    it("reads at positions with openReader, into the caller's buffer, and closes once", async () => {
      const data = randomBytes(300_000);
      await writeFile(path.join(home, 'data.bin'), data);
      const reader = await fs.openReader('/data.bin');
      expect(reader.size).toBe(data.length);
      const buffer = Buffer.alloc(128 * 1024);
      expect(await reader.read(buffer, 100_000)).toBe(buffer.length);
      expect(buffer.equals(data.subarray(100_000, 100_000 + buffer.length))).toBe(true);
      expect(await reader.read(buffer, 250_000)).toBe(50_000);
      expect(buffer.subarray(0, 50_000).equals(data.subarray(250_000))).toBe(true);
      expect(await reader.read(buffer, data.length)).toBe(0);
      await reader.close();
      await reader.close();
      await expect(reader.read(buffer, 0)).rejects.toBeInstanceOf(FileSystemError);
    });
  });

  describe('directories, delete and rename', () => {
    it('creates and removes directories with precise errors', async () => {
      await fs.mkdir('/a');
      await fs.mkdir('/a/b');
      await expectCode(fs.mkdir('/a'), 'ALREADY_EXISTS');
      await expectCode(fs.mkdir('/x/y'), 'NOT_FOUND');
      await expectCode(fs.rmdir('/a'), 'NOT_EMPTY');
      await upload(fs, '/a/file.txt', Buffer.from('f'));
      await expectCode(fs.rmdir('/a/file.txt'), 'NOT_A_DIRECTORY');
      await expectCode(fs.mkdir('/a/file.txt/sub'), 'NOT_A_DIRECTORY');
      await expectCode(fs.delete('/a/b'), 'IS_A_DIRECTORY');
      await fs.delete('/a/file.txt');
      await expectCode(fs.delete('/a/file.txt'), 'NOT_FOUND');
      await fs.rmdir('/a/b');
      await fs.rmdir('/a');
      await expectCode(fs.rmdir('/a'), 'NOT_FOUND');
      expect(await readdir(home)).toEqual([]);
    });

    it('renames files and directories inside the jail', async () => {
      await fs.mkdir('/src');
      await fs.mkdir('/dst');
      await upload(fs, '/src/f.txt', Buffer.from('content'));
      await fs.rename('/src/f.txt', '/dst/g.txt');
      expect(await readFile(path.join(home, 'dst', 'g.txt'), 'utf8')).toBe('content');
      await fs.rename('/dst', '/moved');
      expect(await collect(fs.list('/moved'))).toEqual(['g.txt']);
      await expectCode(fs.rename('/src/none.txt', '/x.txt'), 'NOT_FOUND');
      await expectCode(fs.rename('/moved/g.txt', '/no-such-dir/g.txt'), 'NOT_FOUND');
      await expectCode(fs.rename('/moved', '/moved/inside'), 'INVALID_PATH');
      await upload(fs, '/plain.txt', Buffer.from('p'));
      await expectCode(fs.rename('/plain.txt', '/moved'), 'IS_A_DIRECTORY');
    });
  });

  describe('stat, listing and metadata', () => {
    it('stats files and the root with mode and a device:inode unique id', async () => {
      await upload(fs, '/f.txt', Buffer.from('hello'));
      const file = await fs.stat('/f.txt');
      expect(file).toMatchObject({ name: 'f.txt', type: 'file', size: 5 });
      expect(file.mode).toBe((await stat(path.join(home, 'f.txt'))).mode & 0o7777);
      const info = await stat(path.join(home, 'f.txt'));
      expect(file.uniqueId).toBe(`${info.dev.toString(16)}:${info.ino.toString(16)}`);
      expect(await fs.stat('/')).toMatchObject({ name: '', type: 'dir' });
      await expectCode(fs.stat('/missing'), 'NOT_FOUND');
      await expectCode(collect(fs.list('/f.txt')), 'NOT_A_DIRECTORY');
    });

    it('streams a listing of many entries with distinct unique ids', async () => {
      const count = 2500;
      for (let i = 0; i < count; i += 250) {
        await Promise.all(
          Array.from({ length: 250 }, (_, j) =>
            writeFile(path.join(home, `file-${String(i + j).padStart(5, '0')}.txt`), `${i + j}`),
          ),
        );
      }
      await mkdir(path.join(home, 'subdir'));
      await writeFile(
        path.join(home, '.wharf-upload-00000000-0000-0000-0000-000000000000.part'),
        '',
      );
      const seen = new Set<string>();
      let files = 0;
      let dirs = 0;
      for await (const entry of fs.list('/')) {
        seen.add(entry.uniqueId!);
        if (entry.type === 'file') files++;
        else dirs++;
      }
      expect(files).toBe(count);
      expect(dirs).toBe(1);
      expect(seen.size).toBe(count + 1);
    });

    it('closes the directory when the consumer stops early', async () => {
      for (let i = 0; i < 100; i++) await writeFile(path.join(home, `f${i}`), '');
      let n = 0;
      for await (const _entry of fs.list('/')) {
        if (++n === 3) break;
      }
      expect(n).toBe(3);
      await rm(path.join(home, 'f0'));
    });

    it('sets the modification time and permissions', async () => {
      await upload(fs, '/t.txt', Buffer.from('t'));
      const when = new Date('2020-02-29T12:34:56Z');
      await fs.setModificationTime('/t.txt', when);
      expect((await fs.stat('/t.txt')).mtime.getTime()).toBe(when.getTime());
      await fs.chmod('/t.txt', 0o640);
      expect((await fs.stat('/t.txt')).mode).toBe(0o640);
      await fs.chmod('/t.txt', 0o4755);
      expect((await fs.stat('/t.txt')).mode).toBe(0o755);
      await expectCode(fs.chmod('/t.txt', 0o10000), 'INVALID_PATH');
      await expectCode(fs.setModificationTime('/none', when), 'NOT_FOUND');
    });

    it('reports the space available on the disk holding the root', async () => {
      const space = await fs.availableSpace('/');
      expect(typeof space).toBe('number');
      expect(space!).toBeGreaterThan(0);
    });
  });

  describe('hash', () => {
    const data = randomBytes(700_001);

    beforeEach(async () => {
      await writeFile(path.join(home, 'h.bin'), data);
    });

    it.each([
      ['SHA-256', 'sha256'],
      ['SHA-1', 'sha1'],
      ['MD5', 'md5'],
    ] as const)('computes %s like node:crypto, whole and by range', async (algorithm, node) => {
      const digest = (bytes: Buffer) => createHash(node).update(bytes).digest('hex');
      expect(await fs.hash('/h.bin', algorithm)).toBe(digest(data));
      expect(await fs.hash('/h.bin', algorithm, 1000, 500_000)).toBe(
        digest(data.subarray(1000, 500_000)),
      );
      expect(await fs.hash('/h.bin', algorithm, 600_000)).toBe(digest(data.subarray(600_000)));
    });

    it('computes CRC32 like a table-driven reference, whole and by range', async () => {
      expect(await fs.hash('/h.bin', 'CRC32')).toBe(referenceCrc32(data));
      expect(await fs.hash('/h.bin', 'CRC32', 10, 20_000)).toBe(
        referenceCrc32(data.subarray(10, 20_000)),
      );
      await upload(fs, '/check.txt', Buffer.from('123456789'));
      // The standard CRC-32 check value.
      expect(await fs.hash('/check.txt', 'CRC32')).toBe('cbf43926');
    });

    it('refuses to hash a directory or a missing file', async () => {
      await expectCode(fs.hash('/', 'SHA-256'), 'IS_A_DIRECTORY');
      await expectCode(fs.hash('/nope', 'SHA-256'), 'NOT_FOUND');
    });
  });
});

function referenceCrc32(bytes: Buffer): string {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of bytes) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}
