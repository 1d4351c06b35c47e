import { EventEmitter } from 'node:events';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

import { Logger } from '@nestjs/common';
import type { TransferEventRecord } from '@wharf/contracts';

/** A place in the spool: byte offset inside a numbered segment file. */
export interface SpoolPosition {
  segment: number;
  offset: number;
}

/** Events read from the spool, and where the next read starts once they are shipped. */
export interface SpoolBatch {
  events: TransferEventRecord[];
  end: SpoolPosition;
}

export interface TransferEventSpoolOptions {
  /** `<dataDir>/spool`: config.spoolDir. */
  dir: string;
  /** Most events written by one write + fsync. */
  maxEventsPerFlush?: number;
  /** A segment is sealed and a new one started once it grows past this. */
  segmentMaxBytes?: number;
  /** Opens the active segment (node:fs/promises `open`); tests hold its datasync. */
  openSegment?: (file: string, flags: 'a') => Promise<FileHandle>;
}

export class SpoolClosedError extends Error {
  constructor() {
    super('the transfer event spool is closed');
    this.name = 'SpoolClosedError';
  }
}

interface PendingAppend {
  line: Buffer;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const SEGMENT = /^(\d{16})\.jsonl$/;
const CHECKPOINT = 'checkpoint.json';
const READ_CHUNK = 1024 * 1024;
const NEWLINE = 0x0a;

const segmentName = (n: number) => `${String(n).padStart(16, '0')}.jsonl`;

/**
 * The worker's local durable spool of audit events (ARCHITECTURE.md principle
 * 3): append-only JSON-lines segment files under `<dataDir>/spool/`, plus a
 * checkpoint naming the first event not yet accepted by the queue.
 *
 * `append` resolves only after the event is fsync'd, so the engine can await
 * it before the FTP reply that depends on it. Writes are group-committed: an
 * append while the disk is idle is written at once; appends that arrive during
 * an fsync are written together by the next one (at most maxEventsPerFlush
 * per write). Under load that batches by itself; when idle nobody waits for a
 * timer.
 *
 * Readers (the shipper) call `read(from)` and then `commit(end)` once the
 * queue accepted the events; commit moves the checkpoint and deletes sealed
 * segments that lie wholly before it. After a crash, everything from the
 * checkpoint on is read again: at-least-once, and the api dedupes by id.
 */
export class TransferEventSpool {
  private readonly logger = new Logger(TransferEventSpool.name);
  private readonly dir: string;
  private readonly maxEventsPerFlush: number;
  private readonly segmentMaxBytes: number;
  private readonly events = new EventEmitter();
  private readonly openSegment: (file: string, flags: 'a') => Promise<FileHandle>;
  /** The segment the shipper reads, kept open between reads. */
  private reader: { segment: number; handle: FileHandle } | undefined;

  /** Segment numbers on disk, ascending; the last one is the active segment. */
  private segments: number[] = [];
  private active = 0;
  private activeHandle: FileHandle | undefined;
  /** Bytes of the active segment that are fsync'd (readers never look past them). */
  private durableSize = 0;
  private committed: SpoolPosition = { segment: 0, offset: 0 };

  private pending: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;
  private state: 'new' | 'open' | 'closing' | 'closed' = 'new';

  constructor(options: TransferEventSpoolOptions) {
    this.dir = options.dir;
    this.maxEventsPerFlush = options.maxEventsPerFlush ?? 256;
    this.segmentMaxBytes = options.segmentMaxBytes ?? 8 * 1024 * 1024;
    this.openSegment = options.openSegment ?? open;
    this.events.setMaxListeners(0);
  }

  /**
   * Opens the spool: reads the checkpoint, removes segments already shipped,
   * cuts a torn last line left by a crash mid-write (its append never
   * resolved, so no reply depended on it) and starts a fresh active segment.
   */
  async open(): Promise<void> {
    if (this.state !== 'new') return;
    await mkdir(this.dir, { recursive: true });
    const onDisk = (await readdir(this.dir))
      .map((name) => SEGMENT.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const checkpoint = await this.readCheckpoint();
    this.committed = checkpoint ?? { segment: onDisk[0] ?? 1, offset: 0 };

    for (const n of onDisk.filter((n) => n < this.committed.segment)) {
      await rm(path.join(this.dir, segmentName(n)), { force: true });
    }
    this.segments = onDisk.filter((n) => n >= this.committed.segment);
    const last = this.segments.at(-1);
    if (last !== undefined) await this.cutTornTail(last);

    this.active = Math.max((last ?? 0) + 1, this.committed.segment);
    await this.startSegment(this.active);
    this.state = 'open';
    if (this.segments.length > 1) {
      this.logger.log(
        `reopened with ${this.segments.length - 1} unshipped segment(s) from ${this.describe(this.committed)}`,
      );
    }
  }

  /** Durably appends one event; resolves after the fsync that covers it. */
  append(event: TransferEventRecord): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new SpoolClosedError());
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line: Buffer.from(`${JSON.stringify(event)}\n`), resolve, reject });
      this.kick();
    });
  }

  /** The first position not yet committed (where a new shipper starts). */
  checkpoint(): SpoolPosition {
    return { ...this.committed };
  }

  /**
   * Up to `maxEvents` durable events from `from` on, in append order, or null
   * when there is nothing after `from`. A line that does not parse (disk
   * corruption) is skipped with an error log rather than blocking the spool.
   */
  async read(from: SpoolPosition, maxEvents: number): Promise<SpoolBatch | null> {
    const events: TransferEventRecord[] = [];
    let pos = { ...from };
    while (events.length < maxEvents) {
      const limit = pos.segment === this.active ? this.durableSize : await this.sizeOf(pos.segment);
      if (pos.offset >= limit) {
        const next = this.segments.find((n) => n > pos.segment);
        if (next === undefined) break;
        pos = { segment: next, offset: 0 };
        continue;
      }
      const length = Math.min(limit - pos.offset, READ_CHUNK);
      const chunk = await this.readChunk(pos.segment, pos.offset, length);
      let start = 0;
      while (events.length < maxEvents) {
        const newline = chunk.indexOf(NEWLINE, start);
        if (newline < 0) break;
        const line = chunk.subarray(start, newline).toString('utf8');
        start = newline + 1;
        try {
          events.push(JSON.parse(line) as TransferEventRecord);
        } catch {
          this.logger.error(
            `skipped an unreadable spool line at ${this.describe({ segment: pos.segment, offset: pos.offset + start })}`,
          );
        }
      }
      if (start === 0 && pos.segment !== this.active) {
        // A sealed segment ending without a newline: garbage after a failed write.
        this.logger.error(
          `skipped ${limit - pos.offset} unterminated bytes in ${segmentName(pos.segment)}`,
        );
        pos = { segment: pos.segment, offset: limit };
        continue;
      }
      if (start === 0) break;
      pos = { segment: pos.segment, offset: pos.offset + start };
    }
    if (events.length === 0) return null;
    return { events, end: await this.normalise(pos) };
  }

  /**
   * Records that everything before `end` has been accepted by the queue:
   * writes the checkpoint (atomically: temporary file, rename) and deletes
   * the sealed segments wholly before it.
   *
   * The checkpoint is not fsync'd: after a crash an older checkpoint, or an
   * unreadable one (then reading starts at the oldest segment), only re-sends
   * events the api dedupes by id; it can never point past durable events,
   * since only events already fsync'd are read. An fsync here cost a second
   * disk flush per shipped batch, next to the appends' own.
   */
  async commit(end: SpoolPosition): Promise<void> {
    if (
      end.segment < this.committed.segment ||
      (end.segment === this.committed.segment && end.offset <= this.committed.offset)
    ) {
      return;
    }
    const file = path.join(this.dir, CHECKPOINT);
    await writeFile(`${file}.tmp`, JSON.stringify(end));
    await rename(`${file}.tmp`, file);
    this.committed = { ...end };
    const shipped = this.segments.filter((n) => n < end.segment && n !== this.active);
    if (this.reader && shipped.includes(this.reader.segment)) await this.closeReader();
    for (const n of shipped) await rm(path.join(this.dir, segmentName(n)), { force: true });
    this.segments = this.segments.filter((n) => !shipped.includes(n));
  }

  /** True when events after the checkpoint are durable and unshipped. */
  hasUnshipped(from: SpoolPosition = this.committed): boolean {
    if (from.segment < this.active) return true;
    return from.offset < this.durableSize;
  }

  /**
   * Resolves after the next flush, or after `timeoutMs`, or when `signal`
   * aborts, whichever comes first. Lets the shipper sleep without polling.
   */
  waitForAppend(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off('flushed', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.events.once('flushed', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Writes what is pending, then closes. Later appends are refused. */
  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'new') {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    while (this.flushing || this.pending.length) {
      this.kick();
      await this.flushing;
    }
    this.state = 'closed';
    await this.closeReader();
    await this.activeHandle?.close();
    this.activeHandle = undefined;
  }

  private kick(): void {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      this.kick();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, this.maxEventsPerFlush);
    const data = Buffer.concat(batch.map((p) => p.line));
    const handle = this.activeHandle;
    try {
      if (!handle) throw new SpoolClosedError();
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await handle.write(data, written, data.length - written);
        written += bytesWritten;
      }
      await handle.datasync();
    } catch (error) {
      this.logger.error(
        `spool write failed for ${batch.length} event(s): ${error instanceof Error ? error.message : String(error)}`,
      );
      for (const p of batch) p.reject(error);
      await this.recoverFromFailedWrite();
      return;
    }
    this.durableSize += data.length;
    for (const p of batch) p.resolve();
    this.events.emit('flushed');
    if (this.durableSize >= this.segmentMaxBytes) {
      // A failed roll leaves no active handle: the next flush fails over to recovery.
      await this.roll().catch((error: unknown) =>
        this.logger.error(`spool cannot start a new segment: ${String(error)}`),
      );
    }
  }

  /**
   * A failed write may have left part of a line behind: cut back to the last
   * durable byte, or if even that fails, start a new segment (the reader skips
   * an unterminated tail of a sealed segment).
   */
  private async recoverFromFailedWrite(): Promise<void> {
    try {
      if (!this.activeHandle) throw new SpoolClosedError();
      await this.activeHandle.truncate(this.durableSize);
    } catch {
      await this.roll().catch((error: unknown) =>
        this.logger.error(`spool cannot start a new segment: ${String(error)}`),
      );
    }
  }

  private async roll(): Promise<void> {
    const sealed = this.activeHandle;
    this.activeHandle = undefined;
    await sealed?.close().catch(() => undefined);
    this.active += 1;
    this.durableSize = 0;
    await this.startSegment(this.active);
  }

  private async startSegment(n: number): Promise<void> {
    this.activeHandle = await this.openSegment(path.join(this.dir, segmentName(n)), 'a');
    this.durableSize = (await this.activeHandle.stat()).size;
    if (!this.segments.includes(n)) this.segments.push(n);
    // The new file's directory entry must survive a crash too.
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  private async cutTornTail(n: number): Promise<void> {
    const file = path.join(this.dir, segmentName(n));
    const content = await readFile(file);
    const end = content.lastIndexOf(NEWLINE) + 1;
    if (end === content.length) return;
    this.logger.warn(`cut ${content.length - end} torn byte(s) from ${segmentName(n)}`);
    const handle = await open(file, 'r+');
    try {
      await handle.truncate(end);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private async readCheckpoint(): Promise<SpoolPosition | undefined> {
    let raw: string;
    try {
      raw = await readFile(path.join(this.dir, CHECKPOINT), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const parsed = JSON.parse(raw) as Partial<SpoolPosition>;
      if (Number.isSafeInteger(parsed.segment) && Number.isSafeInteger(parsed.offset)) {
        return { segment: parsed.segment!, offset: parsed.offset! };
      }
    } catch {
      // Fall through: starting from the oldest segment only re-sends (the api dedupes).
    }
    this.logger.error('unreadable spool checkpoint: re-sending from the oldest segment');
    await writeFile(path.join(this.dir, `${CHECKPOINT}.corrupt-${Date.now()}`), raw);
    return undefined;
  }

  /** Past the end of a sealed segment is the start of the next one (so it can be deleted). */
  private async normalise(pos: SpoolPosition): Promise<SpoolPosition> {
    if (pos.segment === this.active) return pos;
    if (pos.offset < (await this.sizeOf(pos.segment))) return pos;
    const next = this.segments.find((n) => n > pos.segment);
    return next === undefined ? pos : { segment: next, offset: 0 };
  }

  private async sizeOf(n: number): Promise<number> {
    try {
      return (await stat(path.join(this.dir, segmentName(n)))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  }

  /** Reads through one descriptor per segment, kept open while the shipper is in it. */
  private async readChunk(n: number, offset: number, length: number): Promise<Buffer> {
    if (this.reader?.segment !== n) {
      await this.closeReader();
      this.reader = { segment: n, handle: await open(path.join(this.dir, segmentName(n)), 'r') };
    }
    const buffer = Buffer.allocUnsafe(length);
    try {
      const { bytesRead } = await this.reader.handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } catch (error) {
      await this.closeReader();
      throw error;
    }
  }

  private async closeReader(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    await reader?.handle.close().catch(() => undefined);
  }

  private describe(pos: SpoolPosition): string {
    return `${segmentName(pos.segment)}@${pos.offset}`;
  }
}
