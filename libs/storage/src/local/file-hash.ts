import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

import type { HashAlgorithm } from '@wharf/ftp-protocol';

const NODE_DIGESTS: Record<Exclude<HashAlgorithm, 'CRC32'>, string> = {
  'SHA-256': 'sha256',
  'SHA-1': 'sha1',
  MD5: 'md5',
};

/**
 * Hashes bytes [start, end) of an open file, streaming (a file is never held
 * whole). Returns lowercase hex; CRC32 as 8 hex digits. zlib.crc32 is native
 * from Node 20.15 on, and package.json requires >= 20.19.
 */
export async function hashFile(
  handle: FileHandle,
  algorithm: HashAlgorithm,
  start = 0,
  end?: number,
): Promise<string> {
  if (end !== undefined && end <= start) return digestOf(algorithm, []);
  const stream = handle.createReadStream({
    start,
    // createReadStream's end is inclusive; the port's is exclusive like slice().
    end: end === undefined ? undefined : end - 1,
    // The caller owns the handle and closes it.
    autoClose: false,
    highWaterMark: 256 * 1024,
  });
  if (algorithm === 'CRC32') {
    let crc = 0;
    for await (const chunk of stream) crc = crc32(chunk as Buffer, crc);
    return hex32(crc);
  }
  const hash = createHash(NODE_DIGESTS[algorithm]);
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function digestOf(algorithm: HashAlgorithm, chunks: Buffer[]): string {
  if (algorithm === 'CRC32') return hex32(chunks.reduce((crc, chunk) => crc32(chunk, crc), 0));
  const hash = createHash(NODE_DIGESTS[algorithm]);
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
