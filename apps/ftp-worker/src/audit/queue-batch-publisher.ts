import { Logger } from '@nestjs/common';
import {
  QueueName,
  type TransferEventsBatch,
  transferEventsJobId,
  TransferEventsJobName,
} from '@wharf/contracts';
import { closeQueueWithin } from '@wharf/database';
import { type JobsOptions, Queue, type QueueOptions } from 'bullmq';

import type { TransferBatchPublisher } from './transfer-event-shipper';

/**
 * How batches are enqueued. Many attempts with exponential backoff: while the
 * api cannot write to PostgreSQL the job waits in the queue instead of failing.
 * A few completed jobs are kept so that an immediate re-send after a crash is
 * dropped by jobId; older duplicates are dropped by the insert's ON CONFLICT.
 */
export const TRANSFER_EVENTS_JOB_OPTIONS: JobsOptions = {
  attempts: 25,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 200 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/**
 * Publishes to BullMQ's `transfer-events` queue. A publish that does not
 * finish within `timeoutMs` counts as failed (with Redis down, BullMQ would
 * otherwise wait for the connection forever), and the Queue is rebuilt for
 * the next attempt, because a backend whose first connection failed may stay
 * failed.
 */
export class QueueBatchPublisher implements TransferBatchPublisher {
  private readonly logger = new Logger(QueueBatchPublisher.name);
  private queue: Queue | undefined;

  constructor(
    private readonly options: QueueOptions,
    private readonly timeoutMs = 5000,
  ) {}

  async publish(batch: TransferEventsBatch): Promise<void> {
    const queue = this.queue ?? this.createQueue();
    try {
      await withTimeout(
        queue.add(TransferEventsJobName.Batch, batch, {
          ...TRANSFER_EVENTS_JOB_OPTIONS,
          jobId: transferEventsJobId(batch),
        }),
        this.timeoutMs,
      );
    } catch (error) {
      if (this.queue === queue) this.queue = undefined;
      this.discard(queue);
      throw error;
    }
  }

  async close(): Promise<void> {
    const queue = this.queue;
    this.queue = undefined;
    if (queue) await closeQueueWithin(queue, this.timeoutMs);
  }

  private createQueue(): Queue {
    const queue = new Queue(QueueName.TransferEvents, this.options);
    // Without a listener, a connection error event would crash the process.
    queue.on('error', (error: Error) => this.logger.debug(`queue error: ${error.message}`));
    this.queue = queue;
    return queue;
  }

  /** Closes a broken queue in the background; it may hang while its backend is down. */
  private discard(queue: Queue): void {
    void closeQueueWithin(queue, this.timeoutMs);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
