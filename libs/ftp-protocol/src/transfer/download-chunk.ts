const DOWNLOAD_CHUNK_MAX = 1024 * 1024;
const DOWNLOAD_CHUNK_MIN = 64 * 1024;

/**
 * Bytes read at a time for a download of `remaining` bytes: 1 MiB, or a
 * smaller file's size (at least 64 KiB). A quarter of the reads, thread-pool
 * round trips and socket writes of 256 KiB chunks, about a third less CPU per
 * GiB sent (docs/BENCHMARKS.md). Used by the engine's pump and by FileSystems
 * that stream (LocalFileSystem.read).
 */
export function downloadChunkBytes(remaining: number): number {
  return Math.min(DOWNLOAD_CHUNK_MAX, Math.max(DOWNLOAD_CHUNK_MIN, remaining));
}
