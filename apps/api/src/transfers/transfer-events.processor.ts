import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { QueueName, type TransferEventsBatch, TransferEventsJobName } from '@wharf/contracts';
import type { Job } from 'bullmq';

import { type IngestResult, TransferIngestService } from './transfer-ingest.service';
import { TransfersErrorCode, TransfersException } from './transfers.exception';

export type TransferEventsJobResult = IngestResult | { discarded: string };

/** How long shutdown waits for running batches (one INSERT each) before letting go of them. */
export const TRANSFER_EVENTS_DRAIN_MS = 10_000;

/**
 * Consumes `transfer-events` (STYLE.md "Thin edges"): known terminal errors are
 * discarded with a reason; anything else (PostgreSQL down...) is logged and
 * rethrown so BullMQ retries the job with backoff.
 */
@Processor(QueueName.TransferEvents, { concurrency: 2 })
export class TransferEventsProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TransferEventsProcessor.name);
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly ingest: TransferIngestService) {
    super();
  }

  async process(job: Job<TransferEventsBatch>): Promise<TransferEventsJobResult> {
    const run = this.handle(job);
    const tracked = run.catch(() => undefined);
    this.running.add(tracked);
    try {
      return await run;
    } finally {
      this.running.delete(tracked);
    }
  }

  /**
   * Bounded shutdown. BullMQ 6's graceful `Worker.close()` first tears down the
   * blocking connection, which waits for that connection to have come up: with
   * the queue backend unreachable it never resolves, and since close() is
   * memoized @nestjs/bullmq's own close on shutdown would hang as well. So we
   * drain ourselves: stop taking jobs, wait (bounded) for the running ones, then
   * close with force, which only drops connections. A batch still running at
   * the deadline stays active and is redelivered after its lock expires;
   * ingestion is idempotent (ON CONFLICT DO NOTHING), so that is safe.
   * Runs before onApplicationShutdown, where @nestjs/bullmq closes its workers
   * and TypeORM its pool, so a draining batch still has its database.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    await worker.pause(true);
    if (this.running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), TRANSFER_EVENTS_DRAIN_MS);
      });
      const outcome = await Promise.race([Promise.all(this.running), deadline]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        this.logger.warn(
          `shutdown: ${this.running.size} batch(es) still running after ${TRANSFER_EVENTS_DRAIN_MS} ms; they will be redelivered`,
        );
      }
    }
    await worker.close(true);
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
