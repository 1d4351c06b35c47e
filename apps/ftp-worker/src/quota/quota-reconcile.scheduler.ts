import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MaintenanceJobName, QueueName } from '@wharf/contracts';
import { closeQueueWithin, RunningJobs } from '@wharf/database';
import { Queue, type QueueOptions, Worker } from 'bullmq';

import { QUOTA_QUEUE_OPTIONS, QUOTA_SCHEDULE_OPTIONS } from './quota.tokens';
import { QuotaReconcileProcessor } from './quota-reconcile.processor';
import { type QuotaReconcileScope, QuotaReconcileService } from './quota-reconcile.service';

export interface QuotaScheduleOptions {
  /** Interval of the reconcile job; 0 = do not schedule (this process still processes). */
  everyMs: number;
  /** Consume the maintenance queue in this process. */
  process: boolean;
  /** Payload of the scheduled job; empty = every user. */
  scope: QuotaReconcileScope;
}

/**
 * How long shutdown waits for a running reconcile (a full rescan can take
 * longer; it is idempotent and redone by the next job) and for the queue.
 */
export const MAINTENANCE_DRAIN_MS = 5_000;

export const DEFAULT_QUOTA_SCHEDULE: QuotaScheduleOptions = {
  everyMs: 10 * 60 * 1000,
  process: true,
  scope: {},
};

/**
 * Every worker upserts the same job scheduler (id = the job name), so however
 * many workers run there is one scheduler and one job per interval, taken by
 * whichever worker is free; the job itself is idempotent.
 */
@Injectable()
export class QuotaReconcileScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QuotaReconcileScheduler.name);
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private readonly running = new RunningJobs();

  constructor(
    private readonly reconcile: QuotaReconcileService,
    @Inject(QUOTA_QUEUE_OPTIONS) private readonly queueOptions: QueueOptions,
    @Inject(QUOTA_SCHEDULE_OPTIONS) private readonly schedule: QuotaScheduleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue = new Queue(QueueName.Maintenance, this.queueOptions);
    if (this.schedule.everyMs > 0) {
      await this.queue.upsertJobScheduler(
        MaintenanceJobName.QuotaReconcile,
        { every: this.schedule.everyMs },
        {
          name: MaintenanceJobName.QuotaReconcile,
          data: this.schedule.scope,
          opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
        },
      );
    }
    if (this.schedule.process) {
      const processor = new QuotaReconcileProcessor(this.reconcile);
      this.worker = new Worker(QueueName.Maintenance, (job) => this.running.track(processor.process(job)), {
        ...this.queueOptions,
        concurrency: 1,
      });
      this.worker.on('error', (error) => this.logger.warn(`maintenance worker: ${error.message}`));
    }
  }

  /** Runs the reconcile now (the api's "reconcile" button, tests). */
  async runNow(): Promise<void> {
    await this.queue?.add(
      MaintenanceJobName.QuotaReconcile,
      {},
      { removeOnComplete: { count: 50 } },
    );
  }

  /** Bounded: with Redis unreachable BullMQ's graceful close never returns (RunningJobs). */
  async onApplicationShutdown(): Promise<void> {
    if (this.worker) await this.running.closeWorker(this.worker, MAINTENANCE_DRAIN_MS);
    if (this.queue) await closeQueueWithin(this.queue, MAINTENANCE_DRAIN_MS);
  }
}
