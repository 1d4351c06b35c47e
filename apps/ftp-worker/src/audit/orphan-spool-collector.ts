import { readdir, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';

import { Logger } from '@nestjs/common';

import type { TransferEventShipper } from './transfer-event-shipper';
import { TransferEventSpool } from './transfer-event-spool';

/** `<adopter id>.adopted.<first owner's id>`: worker ids never contain a dot. */
export const ADOPTED = '.adopted.';

/** Port: whether a worker id belongs to a running worker (fresh heartbeat, not stopped). */
export interface WorkerLiveness {
  isAlive(workerId: string): Promise<boolean>;
}

export interface OrphanSpoolCollectorOptions {
  /** config.spoolDir: one directory per worker id below it. */
  spoolRoot: string;
  /** This worker's id (its own spool is `<spoolRoot>/<workerId>`). */
  workerId: string;
  /**
   * A directory is only taken when nothing in it changed for this long (and
   * its worker is not alive): a worker coming back under that id opens its
   * spool, which creates a segment, before it registers.
   */
  quietForMs: number;
  /** How long one scan keeps shipping one directory before leaving it for the next scan. */
  shipTimeoutMs: number;
}

/**
 * Ships the spools that workers gone for good left behind (docs/design/
 * 2026-11-25-audit-pipeline.md, "Orphaned spools"). A worker replaced under a
 * new id (a recreated container with a new hostname, a changed
 * WHARF_WORKER_ID) would otherwise leave its unshipped events in
 * `<spoolRoot>/<old id>` forever.
 *
 * Taking a directory is one rename to `<my id>.adopted.<name>`: atomic, so of
 * several workers sharing the volume exactly one gets it, and from then on it
 * is this worker's (a later scan of its own, after a crash, continues it; if
 * this worker dies too, the name says whose it was and another one takes it
 * over). The events are then shipped like any spool (checkpoint after the
 * queue accepted each batch; job ids and the api's ON CONFLICT drop a re-send),
 * and the directory is removed once it is empty of unshipped events.
 */
export class OrphanSpoolCollector {
  private readonly logger = new Logger(OrphanSpoolCollector.name);
  private current: TransferEventShipper | undefined;
  private stopped = false;

  constructor(
    private readonly options: OrphanSpoolCollectorOptions,
    private readonly liveness: WorkerLiveness,
    private readonly shipperFor: (spool: TransferEventSpool) => TransferEventShipper,
  ) {}

  /** One pass over the spool root; resolves with the number of directories shipped and removed. */
  async collectOnce(): Promise<number> {
    let entries;
    try {
      entries = await readdir(this.options.spoolRoot, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    let done = 0;
    for (const entry of entries) {
      if (this.stopped) break;
      if (!entry.isDirectory() || entry.name === this.options.workerId) continue;
      const dir = await this.claim(entry.name);
      if (dir && (await this.ship(dir))) done += 1;
    }
    return done;
  }

  /** Stops a running shipment (what is left stays in the directory, which keeps its name). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.current?.stop(0);
  }

  /** The directory to ship, now owned by this worker, or null when it is not ours to take. */
  private async claim(name: string): Promise<string | null> {
    const root = this.options.spoolRoot;
    // `<last adopter>.adopted.<first owner>`, or a worker's own name.
    const parts = name.split(ADOPTED);
    const owner = parts[0]!;
    // Taken by an earlier run of this worker id, which did not finish it.
    if (owner === this.options.workerId) return path.join(root, name);
    if (await this.liveness.isAlive(owner)) return null;
    if (!(await this.quiet(path.join(root, name)))) return null;
    // Named after the first owner, so a spool passed on from worker to worker keeps one
    // prefix instead of one per hand.
    const target = path.join(root, `${this.options.workerId}${ADOPTED}${parts.at(-1)!}`);
    try {
      await rename(path.join(root, name), target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another worker took it first.
      if (code === 'ENOENT' || code === 'ENOTEMPTY' || code === 'EEXIST') return null;
      throw error;
    }
    this.logger.log(`took over the audit spool ${name} of worker ${owner}, which is gone`);
    return target;
  }

  private async ship(dir: string): Promise<boolean> {
    const spool = new TransferEventSpool({ dir });
    await spool.open();
    const shipper = this.shipperFor(spool);
    this.current = shipper;
    let drained = false;
    try {
      shipper.start();
      await shipper.waitUntilShipped(this.options.shipTimeoutMs);
      drained = true;
    } catch {
      // Queue unreachable or a large backlog: the next scan continues from the checkpoint.
    } finally {
      await shipper.stop(0);
      await spool.close();
      this.current = undefined;
    }
    if (!drained || spool.hasUnshipped()) return false;
    await rm(dir, { recursive: true, force: true });
    this.logger.log(
      `shipped ${shipper.shipped} orphaned audit event(s) from ${path.basename(dir)}`,
    );
    return true;
  }

  /** Nothing in the directory (nor the directory itself) changed for quietForMs. */
  private async quiet(dir: string): Promise<boolean> {
    const threshold = Date.now() - this.options.quietForMs;
    const times = [(await stat(dir)).mtimeMs];
    for (const name of await readdir(dir)) {
      const info = await stat(path.join(dir, name)).catch(() => null);
      if (info) times.push(info.mtimeMs);
    }
    return Math.max(...times) < threshold;
  }
}
