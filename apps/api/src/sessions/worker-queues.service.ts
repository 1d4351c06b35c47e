import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { WorkerJobName, type WorkerJobPayloads, workerQueueName } from '@wharf/contracts';
import { Queue, type QueueOptions } from 'bullmq';

import { QUEUE_OPTIONS } from '../config.token';

/**
 * Sends nudges to one worker's queue `worker.<id>`. Queue names are dynamic
 * (one per worker), so they cannot be registered with BullModule up front;
 * queues are opened on first use and closed with the module.
 */
@Injectable()
export class WorkerQueuesService implements OnModuleDestroy {
  private readonly logger = new Logger(WorkerQueuesService.name);
  private readonly queues = new Map<string, Queue>();

  constructor(@Inject(QUEUE_OPTIONS) private readonly options: QueueOptions) {}

  async send<N extends WorkerJobName>(
    workerId: string,
    name: N,
    payload: WorkerJobPayloads[N],
  ): Promise<string | undefined> {
    const job = await this.queue(workerId).add(name, payload, {
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 100 },
    });
    return job.id;
  }

  async onModuleDestroy(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((q) => q.close()));
  }

  private queue(workerId: string): Queue {
    let queue = this.queues.get(workerId);
    if (!queue) {
      queue = new Queue(workerQueueName(workerId), this.options);
      queue.on('error', (error: Error) =>
        this.logger.warn(`queue ${workerQueueName(workerId)}: ${error.message}`),
      );
      this.queues.set(workerId, queue);
    }
    return queue;
  }
}
