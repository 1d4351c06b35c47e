const DOWNLOAD_CHUNK_MAX = 1024 * 1024;
const DOWNLOAD_CHUNK_MIN = 4 * 1024;

/**
 * Bytes read at a time for a download of `remaining` bytes: 1 MiB, or for a
 * smaller file one byte more than it has (at least 4 KiB), so that its first
 * read comes back short and is known to be the end without a second read.
 * A quarter of the reads, thread-pool round trips and socket writes of 256
 * KiB chunks, about a third less CPU per GiB sent; and a small file costs a
 * buffer of its own size, not 64 KiB (docs/BENCHMARKS.md). Used by the
 * engine's pump and by FileSystems that stream (LocalFileSystem.read).
 */
export function downloadChunkBytes(remaining: number): number {
  return Math.min(DOWNLOAD_CHUNK_MAX, Math.max(DOWNLOAD_CHUNK_MIN, remaining + 1));
}
