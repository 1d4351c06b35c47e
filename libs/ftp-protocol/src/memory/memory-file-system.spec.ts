import { FileSystemError } from '../ports/file-system.port';
import { MemoryFileSystem } from './memory-file-system';

async function readAll(fs: MemoryFileSystem, path: string, offset?: number): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await fs.read(path, offset)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

async function upload(
  fs: MemoryFileSystem,
  path: string,
  content: string,
  options?: { offset?: number; append?: boolean },
): Promise<number> {
  const handle = await fs.write(path, options);
  await new Promise<void>((resolve, reject) =>
    handle.stream.end(Buffer.from(content), () => resolve()).on('error', reject),
  );
  return (await handle.commit()).size;
}

describe('MemoryFileSystem', () => {
  let fs: MemoryFileSystem;
  beforeEach(() => {
    fs = new MemoryFileSystem({ capacityBytes: 100 });
  });

  it('makes an upload visible only on commit, and abort keeps the old content', async () => {
    fs.seedFile('/a.txt', 'old');
    const handle = await fs.write('/a.txt');
    handle.stream.write(Buffer.from('new'));
    expect(await readAll(fs, '/a.txt')).toBe('old');
    await handle.abort();
    expect(await readAll(fs, '/a.txt')).toBe('old');
  });

  it('writes at an offset keeping the bytes before it, and appends', async () => {
    fs.seedFile('/r.bin', '0123456789');
    expect(await upload(fs, '/r.bin', 'xy', { offset: 4 })).toBe(6);
    expect(await readAll(fs, '/r.bin')).toBe('0123xy');
    expect(await upload(fs, '/r.bin', '!!', { append: true })).toBe(8);
    expect(await readAll(fs, '/r.bin')).toBe('0123xy!!');
    expect(await upload(fs, '/new.txt', 'n', { append: true })).toBe(1);
  });

  it('never zero-fills: an offset past the end or on a missing file is refused like LocalFileSystem', async () => {
    fs.seedFile('/short.txt', 'abc');
    await expect(fs.write('/short.txt', { offset: 6 })).rejects.toMatchObject({
      name: 'FileSystemError',
      code: 'IO',
    });
    await expect(fs.write('/missing.txt', { offset: 1 })).rejects.toMatchObject({
      name: 'FileSystemError',
      code: 'NOT_FOUND',
    });
    expect(await readAll(fs, '/short.txt')).toBe('abc');
    expect(fs.readFileSync('/missing.txt')).toBeNull();
    // The end of the file itself is a valid offset.
    expect(await upload(fs, '/short.txt', 'd', { offset: 3 })).toBe(4);
  });

  it('reads from an offset', async () => {
    fs.seedFile('/o.txt', 'abcdef');
    expect(await readAll(fs, '/o.txt', 2)).toBe('cdef');
    expect(await readAll(fs, '/o.txt', 99)).toBe('');
  });

  it('lists, stats, renames, deletes, mkdir/rmdir with typed errors', async () => {
    await fs.mkdir('/d');
    fs.seedFile('/d/f', 'f');
    const names: string[] = [];
    for await (const entry of fs.list('/d')) names.push(`${entry.type}:${entry.name}`);
    expect(names).toEqual(['file:f']);
    await expect(fs.mkdir('/d')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(fs.rmdir('/d')).rejects.toMatchObject({ code: 'NOT_EMPTY' });
    await expect(fs.delete('/d')).rejects.toMatchObject({ code: 'IS_A_DIRECTORY' });
    await expect(fs.stat('/nope')).rejects.toBeInstanceOf(FileSystemError);
    await fs.rename('/d/f', '/g');
    expect((await fs.stat('/g')).size).toBe(1);
    await expect(fs.rename('/d', '/d/sub')).rejects.toMatchObject({ code: 'INVALID_PATH' });
    await fs.delete('/g');
    await fs.rmdir('/d');
    await expect(fs.stat('/d')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses paths the engine would never produce', async () => {
    await expect(fs.stat('relative')).rejects.toMatchObject({ code: 'INVALID_PATH' });
    await expect(fs.stat('/a/../b')).rejects.toMatchObject({ code: 'INVALID_PATH' });
  });

  it('hashes, sets mtime and mode, and reports available space', async () => {
    fs.seedFile('/h', 'abc');
    expect(await fs.hash('/h', 'SHA-256')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await fs.hash('/h', 'CRC32')).toBe('352441c2');
    expect(await fs.hash('/h', 'MD5', 0, 1)).toBe('0cc175b9c0f1b6a831c399e269772661');
    const when = new Date(Date.UTC(2020, 0, 1));
    await fs.setModificationTime('/h', when);
    await fs.chmod('/h', 0o600);
    expect(await fs.stat('/h')).toMatchObject({ mtime: when, mode: 0o600 });
    expect(await fs.availableSpace()).toBe(97);
  });

  it('fails an upload beyond capacity with NO_SPACE', async () => {
    const handle = await fs.write('/big');
    const error = await new Promise<Error | null>((resolve) => {
      handle.stream.on('error', resolve);
      handle.stream.write(Buffer.alloc(200), (e) => resolve(e ?? null));
    });
    expect(error).toMatchObject({ code: 'NO_SPACE' });
  });
});
