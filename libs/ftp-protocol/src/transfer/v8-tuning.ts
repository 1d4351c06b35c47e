import * as v8 from 'node:v8';

/** The V8 flag tuneV8ForTransfers() sets; a process started with it is left alone. */
export const ARRAY_BUFFER_SWEEP_FLAG = '--no-concurrent-array-buffer-sweeping';

/**
 * Sweeps dead ArrayBuffers on the thread that collected them, not in a
 * background task. Call once, first thing in a process that serves FTP.
 *
 * Every socket read and every TLS record an upload receives is a new
 * ArrayBuffer (64 KiB, 16 KiB on FTPS), a GiB of them per GiB received. V8
 * counts them as external memory until their backing stores are swept; with
 * the sweep in a background task on a busy two-core machine the count lagged
 * behind the scavenges that had already found them dead, crossed V8's
 * external-memory limit and started a full mark-compact of the worker's whole
 * heap every ~40 ms (`--trace-gc`: "external memory pressure", then
 * Mark-Compact 31.6 -> 31.5 MB). Swept in the scavenge itself, the count
 * drops at once: worker 1 GiB uploads (no fsync, no hash) 0.57-0.66 -> 0.66-1.46 GB/s plain,
 * 0.45-0.51 -> 0.65-0.84 FTPS, at half the CPU (docs/BENCHMARKS.md,
 * "Uploads: the garbage collector as well").
 */
export function tuneV8ForTransfers(): void {
  if (process.execArgv.includes(ARRAY_BUFFER_SWEEP_FLAG)) return;
  v8.setFlagsFromString(ARRAY_BUFFER_SWEEP_FLAG);
}
