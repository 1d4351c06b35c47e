import { downloadChunkBytes } from './download-chunk';

describe('downloadChunkBytes', () => {
  it.each([
    ['an empty file', 0, 4096],
    ['a file under 4 KiB', 100, 4096],
    ['a 4 KiB file: one byte more, so its one read comes back short', 4096, 4097],
    ['a 100 KiB file', 100 * 1024, 100 * 1024 + 1],
    ['a file one byte under 1 MiB', 1024 * 1024 - 1, 1024 * 1024],
    ['a 1 MiB file', 1024 * 1024, 1024 * 1024],
    ['a GiB', 1024 ** 3, 1024 * 1024],
  ])('%s', (_name, remaining, expected) => {
    expect(downloadChunkBytes(remaining)).toBe(expected);
  });
});
