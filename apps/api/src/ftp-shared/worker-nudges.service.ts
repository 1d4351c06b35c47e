import { Inject, Injectable, Logger } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { WorkerJobName } from '@wharf/contracts';
import { ServerWorkerAssignment, WorkerNode } from '@wharf/database';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';

import { WHARF_CONFIG } from '../config.token';
import { WorkerQueuesService } from '../sessions/worker-queues.service';
import { MISSED_BEATS_BEFORE_STALE } from '../workers/worker-status';

/**
 * Tells workers, after a commit, that a user or a server changed. Best
 * effort by design (ARCHITECTURE.md principle 1): the database already holds
 * the truth and workers reconcile on their own; a nudge only makes it happen
 * now. So a failed send is logged, never turned into a failed request.
 */
@Injectable()
export class WorkerNudgesService {
  private readonly logger = new Logger(WorkerNudgesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: WorkerQueuesService,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /** A user can be logged in on any worker: every live worker hears about it. */
  async userChanged(userId: string, disabled: boolean): Promise<void> {
    const workers = await this.liveWorkerIds();
    await this.sendAll(workers, (id) =>
      this.queues.send(id, WorkerJobName.UserChanged, { userId, disabled }),
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
    await this.sendAll(targets, (id) =>
      this.queues.send(id, WorkerJobName.ServerChanged, { serverId }),
    );
  }

  /** Current assignment of a server, for callers that did not load it. */
  async assignedWorkers(serverId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(ServerWorkerAssignment)
      .find({ where: { serverId } });
    return rows.map((r) => r.workerId);
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
