import { Logger } from '@nestjs/common';
import type { TransferEventsBatch } from '@wharf/contracts';

import type { SpoolPosition, TransferEventSpool } from './transfer-event-spool';

/** Port: hands a batch to the queue; resolves once the queue accepted it. */
export interface TransferBatchPublisher {
  publish(batch: TransferEventsBatch): Promise<void>;
  close(): Promise<void>;
}

export interface TransferEventShipperOptions {
  /**
   * Most events per queue job (default 2,000: with a backlog, bigger batches
   * ingested 11-25 % faster than 500 in the control-plane bench; below it,
   * batches are as small as what the spool holds). docs/BENCHMARKS.md "Control plane".
   */
  maxBatch?: number;
  /** First retry delay after a failed publish; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest sleep between looks at the spool when nothing was appended. */
  idleWaitMs?: number;
  /**
   * After a batch smaller than maxBatch, wait this long before the next read,
   * so the events of many sessions travel in one queue job and one checkpoint
   * write rather than one each (the appends themselves never wait for this).
   */
  lingerMs?: number;
}

/**
 * Moves events from the spool to the `transfer-events` queue, in spool order,
 * one batch at a time. The checkpoint moves only after the queue accepted a
 * batch, so a crash or an outage re-sends rather than loses; while the queue
 * is down the events wait in the spool and the shipper retries with
 * exponential backoff (with jitter, so many workers do not reconnect in step).
 */
export class TransferEventShipper {
  private readonly logger = new Logger(TransferEventShipper.name);
  private readonly maxBatch: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly idleWaitMs: number;
  private readonly lingerMs: number;

  private position: SpoolPosition | undefined;
  private loop: Promise<void> | undefined;
  private stopping = new AbortController();
  private drainUntil = 0;
  private failures = 0;
  private shippedEvents = 0;

  constructor(
    private readonly spool: TransferEventSpool,
    private readonly publisher: TransferBatchPublisher,
    options: TransferEventShipperOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 2000;
    this.minBackoffMs = options.minBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.idleWaitMs = options.idleWaitMs ?? 1000;
    this.lingerMs = options.lingerMs ?? 50;
  }

  /** Events accepted by the queue since start (for metrics and tests). */
  get shipped(): number {
    return this.shippedEvents;
  }

  /** True while the last publish attempt failed. */
  get backlogged(): boolean {
    return this.failures > 0;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.position = this.spool.checkpoint();
    this.loop = this.run();
  }

  /**
   * Stops shipping. Keeps trying to drain for up to `drainMs` first (what is
   * left stays in the spool for the next start), then closes the publisher.
   */
  async stop(drainMs = 0): Promise<void> {
    this.drainUntil = Date.now() + drainMs;
    this.stopping.abort();
    await this.loop;
    this.loop = undefined;
    await this.publisher.close();
  }

  /**
   * Resolves once everything appended so far has been accepted by the queue;
   * rejects at the timeout, or as soon as stop() has ended the shipping (a
   * worker shutting down must not wait out the timeout for nothing).
   */
  async waitUntilShipped(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.spool.hasUnshipped()) {
      if (Date.now() > deadline) throw new Error(`spool not drained within ${timeoutMs} ms`);
      if (this.stopping.signal.aborted && Date.now() >= this.drainUntil) {
        throw new Error('shipper stopped before the spool was drained');
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async run(): Promise<void> {
    for (;;) {
      const stopped = this.stopping.signal.aborted;
      if (stopped && (Date.now() >= this.drainUntil || this.failures > 0)) return;
      let shipped: number;
      try {
        shipped = await this.shipOne();
      } catch (error) {
        this.onFailure(error);
        if (this.stopping.signal.aborted) return;
        await this.sleep(this.backoff());
        continue;
      }
      if (shipped === 0) {
        if (stopped) return;
        await this.spool.waitForAppend(this.idleWaitMs, this.stopping.signal);
        if (!this.stopping.signal.aborted) await this.sleep(this.lingerMs);
      } else if (shipped < this.maxBatch && !this.stopping.signal.aborted) {
        await this.sleep(this.lingerMs);
      }
    }
  }

  /** Ships the next batch; how many events it held (0: nothing unshipped). */
  private async shipOne(): Promise<number> {
    const from = this.position ?? this.spool.checkpoint();
    const batch = await this.spool.read(from, this.maxBatch);
    if (!batch) return 0;
    await this.publisher.publish({ events: batch.events });
    await this.spool.commit(batch.end);
    this.position = batch.end;
    this.shippedEvents += batch.events.length;
    if (this.failures > 0) {
      this.logger.log(`queue reachable again after ${this.failures} failed attempt(s); draining`);
      this.failures = 0;
    }
    return batch.events.length;
  }

  private onFailure(error: unknown): void {
    this.failures += 1;
    const message = error instanceof Error ? error.message : String(error);
    // Once at the start of an outage, then now and then: the spool holds the events.
    if (this.failures === 1 || this.failures % 20 === 0) {
      this.logger.warn(
        `shipping audit events failed (attempt ${this.failures}): ${message}; events stay in the spool`,
      );
    }
  }

  private backoff(): number {
    const exp = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** (this.failures - 1));
    return exp / 2 + Math.random() * (exp / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.stopping.signal;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
