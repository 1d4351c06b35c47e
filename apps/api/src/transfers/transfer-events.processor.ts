import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { QueueName, type TransferEventsBatch, TransferEventsJobName } from '@wharf/contracts';
import { RunningJobs } from '@wharf/database';
import type { Job, Queue } from 'bullmq';

import { type IngestResult, TransferIngestService } from './transfer-ingest.service';
import { TransfersErrorCode, TransfersException } from './transfers.exception';

export type TransferEventsJobResult = IngestResult | { discarded: string };

/** How long shutdown waits for running batches (one INSERT each) before letting go of them. */
export const TRANSFER_EVENTS_DRAIN_MS = 10_000;

/**
 * Batches ingested at once. 4 beat 2 in every pairing of the control-plane
 * bench (docs/BENCHMARKS.md); PostgreSQL does the work, so this is about
 * keeping its cores busy. Each batch of one process writes to its own roll-up
 * slot (ROLLUP_SLOTS in @wharf/database, also 4), so they never wait on each
 * other's roll-up rows.
 */
export const TRANSFER_EVENTS_CONCURRENCY = 4;

/** While the queue backend is unreachable, one warning per this interval; the rest is debug. */
const BACKEND_WARNING_INTERVAL_MS = 60_000;

/**
 * Consumes `transfer-events` (STYLE.md "Thin edges"): known terminal errors are
 * discarded with a reason; anything else (PostgreSQL down...) is logged and
 * rethrown so BullMQ retries the job with backoff.
 */
@Processor(QueueName.TransferEvents, { concurrency: TRANSFER_EVENTS_CONCURRENCY })
export class TransferEventsProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TransferEventsProcessor.name);
  private readonly running = new RunningJobs();
  private lastBackendWarningAt = -Infinity;

  constructor(
    private readonly ingest: TransferIngestService,
    @InjectQueue(QueueName.TransferEvents) queue: Queue,
  ) {
    super();
    // BullMQ hands an 'error' nobody listens to to console.error, once per
    // reconnect attempt while Redis is down (a stack every second or two).
    queue.on('error', (error: Error) => this.backendError('queue', error));
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.backendError('consumer', error);
  }

  async process(job: Job<TransferEventsBatch>): Promise<TransferEventsJobResult> {
    return this.running.track(this.handle(job));
  }

  /**
   * Bounded shutdown (RunningJobs in @wharf/database): stop taking jobs, wait
   * at most TRANSFER_EVENTS_DRAIN_MS for the running batches, then close with
   * force; BullMQ's graceful close would hang with the queue backend down. A
   * batch cut off is redelivered; ingestion is idempotent (ON CONFLICT DO
   * NOTHING). Runs before onApplicationShutdown, where @nestjs/bullmq closes
   * its workers and TypeORM its pool, so a draining batch still has its database.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const cutOff = await this.running.closeWorker(this.worker, TRANSFER_EVENTS_DRAIN_MS);
    if (cutOff > 0) {
      this.logger.warn(
        `shutdown: ${cutOff} batch(es) still running after ${TRANSFER_EVENTS_DRAIN_MS} ms; they will be redelivered`,
      );
    }
  }

  private backendError(side: 'queue' | 'consumer', error: Error): void {
    const now = Date.now();
    if (now - this.lastBackendWarningAt < BACKEND_WARNING_INTERVAL_MS) {
      this.logger.debug(`${side}: ${error.message}`);
      return;
    }
    this.lastBackendWarningAt = now;
    this.logger.warn(`${side}: ${error.message} (retrying; events wait in the workers' spools)`);
  }

  private async handle(job: Job<TransferEventsBatch>): Promise<TransferEventsJobResult> {
    try {
      const name = job.name as TransferEventsJobName;
      switch (name) {
        case TransferEventsJobName.Batch:
          return await this.ingest.ingest(job.data);
        default:
          throw new TransfersException(
            TransfersErrorCode.UnknownJob,
            `unknown job ${String(name)}`,
          );
      }
    } catch (error) {
      if (error instanceof TransfersException) {
        this.logger.warn(`discarded job ${job.id ?? '?'}: ${error.code} ${error.message}`);
        return { discarded: `${error.code}: ${error.message}` };
      }
      this.logger.error(
        `job ${job.id ?? '?'} failed (attempt ${job.attemptsMade + 1}): ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  }
}
