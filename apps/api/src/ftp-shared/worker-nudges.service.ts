import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { WorkerJobName, type WorkerJobPayloads, workerQueueName } from '@wharf/contracts';
import { ServerWorkerAssignment, WorkerNode } from '@wharf/database';
import { Queue, type QueueOptions } from 'bullmq';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';

import { QUEUE_OPTIONS, WHARF_CONFIG } from '../config.token';
import { MISSED_BEATS_BEFORE_STALE } from '../workers/worker-status';

/**
 * The api's one way to talk to a worker: typed jobs (WorkerJobPayloads) on
 * that worker's queue `worker.<id>`.
 *
 * `send` is for callers that need the job queued (kicking a session fails the
 * request if it cannot be sent). `userChanged`/`serverChanged` tell workers,
 * after a commit, that a user or a server changed; they are best effort by
 * design (ARCHITECTURE.md principle 1): the database already holds the truth
 * and workers reconcile on their own, a nudge only makes it happen now, so a
 * failed send is logged, never turned into a failed request.
 *
 * Queue names are dynamic (one per worker), so they cannot be registered with
 * BullModule up front; queues are opened on first use and closed with the module.
 */
@Injectable()
export class WorkerNudgesService implements OnModuleDestroy {
  private readonly logger = new Logger(WorkerNudgesService.name);
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(QUEUE_OPTIONS) private readonly queueOptions: QueueOptions,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /** Queues one job for one worker; rejects when the queue backend does. */
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

  /** A user can be logged in on any worker: every live worker hears about it. */
  async userChanged(userId: string, disabled: boolean): Promise<void> {
    const workers = await this.liveWorkerIds();
    await this.sendAll(workers, (id) =>
      this.send(id, WorkerJobName.UserChanged, { userId, disabled }),
    );
  }

  /**
   * The workers that ran the server before the change and those that run it
   * after: pinned ones, or every live worker when it was or is unpinned.
   */
  async serverChanged(serverId: string, workerIdsBefore: string[], workerIdsAfter: string[]) {
    const everywhere = workerIdsBefore.length === 0 || workerIdsAfter.length === 0;
    const targets = everywhere
      ? await this.liveWorkerIds()
      : [...new Set([...workerIdsBefore, ...workerIdsAfter])];
    await this.sendAll(targets, (id) => this.send(id, WorkerJobName.ServerChanged, { serverId }));
  }

  /** Current assignment of a server, for callers that did not load it. */
  async assignedWorkers(serverId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(ServerWorkerAssignment)
      .find({ where: { serverId } });
    return rows.map((r) => r.workerId);
  }

  async onModuleDestroy(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((q) => q.close()));
  }

  private queue(workerId: string): Queue {
    let queue = this.queues.get(workerId);
    if (!queue) {
      queue = new Queue(workerQueueName(workerId), this.queueOptions);
      queue.on('error', (error: Error) =>
        this.logger.warn(`queue ${workerQueueName(workerId)}: ${error.message}`),
      );
      this.queues.set(workerId, queue);
    }
    return queue;
  }

  private async liveWorkerIds(): Promise<string[]> {
    const since = new Date(
      Date.now() - MISSED_BEATS_BEFORE_STALE * this.config.worker.heartbeatSeconds * 1000,
    );
    const rows = await this.dataSource.getRepository(WorkerNode).find({
      select: { id: true },
      where: {
        lastHeartbeatAt: MoreThanOrEqual(since),
        status: In(['starting', 'running', 'draining']),
      },
    });
    return rows.map((r) => r.id);
  }

  private async sendAll(workerIds: string[], send: (id: string) => Promise<unknown>) {
    const results = await Promise.allSettled(workerIds.map(send));
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        this.logger.warn(
          `nudge to worker ${workerIds[i]} failed (it will reconcile on its own): ${String(r.reason)}`,
        );
      }
    });
  }
}
