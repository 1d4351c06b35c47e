import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { QueueName, type TransferEventsBatch, TransferEventsJobName } from '@wharf/contracts';
import type { Job } from 'bullmq';

import { type IngestResult, TransferIngestService } from './transfer-ingest.service';
import { TransfersErrorCode, TransfersException } from './transfers.exception';

export type TransferEventsJobResult = IngestResult | { discarded: string };

/**
 * Consumes `transfer-events` (STYLE.md "Thin edges"): known terminal errors are
 * discarded with a reason; anything else (PostgreSQL down...) is logged and
 * rethrown so BullMQ retries the job with backoff.
 */
@Processor(QueueName.TransferEvents, { concurrency: 2 })
export class TransferEventsProcessor extends WorkerHost {
  private readonly logger = new Logger(TransferEventsProcessor.name);

  constructor(private readonly ingest: TransferIngestService) {
    super();
  }

  async process(job: Job<TransferEventsBatch>): Promise<TransferEventsJobResult> {
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
