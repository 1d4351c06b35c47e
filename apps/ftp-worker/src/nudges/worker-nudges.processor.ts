import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { WorkerJobName, type WorkerJobPayloads, workerQueueName } from '@wharf/contracts';
import { queueOptions, RunningJobs } from '@wharf/database';
import { type Job, Worker } from 'bullmq';

import { WorkerRegistryService } from '../registry/worker-registry.service';
import { FtpListeners } from '../servers/ftp-listeners';
import { ServerReconciler } from '../servers/server-reconciler.service';
import { UserSessionsService } from '../users/user-sessions.service';
import { WORKER_CONFIG } from '../worker.tokens';

export const KICK_REPLY = 'Session closed by an administrator.';

/** How long shutdown waits for running nudges (each one a reconcile at most). */
export const NUDGES_DRAIN_MS = 5_000;

type NudgeJob = Job<WorkerJobPayloads[WorkerJobName], void, string>;

/**
 * Consumes this worker's queue `worker.<id>`. Nudges only say "look again":
 * the handlers re-read PostgreSQL, so a duplicate is harmless and a lost one
 * is fixed by the next reconcile. Thin (STYLE.md): unknown jobs are discarded
 * with a reason, failures are logged and rethrown for BullMQ's retry.
 */
@Injectable()
export class WorkerNudgesProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerNudgesProcessor.name);
  private worker: Worker | undefined;
  private readonly running = new RunningJobs();

  constructor(
    private readonly reconciler: ServerReconciler,
    private readonly users: UserSessionsService,
    private readonly listeners: FtpListeners,
    private readonly registry: WorkerRegistryService,
    @Inject(WORKER_CONFIG) private readonly config: WharfConfig,
  ) {}

  onApplicationBootstrap(): void {
    const databaseUrl = this.config.databaseUrl!;
    const name = workerQueueName(this.registry.workerId);
    this.worker = new Worker(name, (job: NudgeJob) => this.running.track(this.process(job)), {
      ...queueOptions(this.config, databaseUrl),
      concurrency: 4,
    });
    this.worker.on('error', (error: Error) => this.logger.warn(`queue ${name}: ${error.message}`));
    this.logger.log(`listening for nudges on ${name}`);
  }

  async process(job: NudgeJob): Promise<void> {
    try {
      await this.handle(job);
    } catch (error) {
      this.logger.error(`nudge ${job.name} (${job.id}) failed: ${String(error)}`);
      throw error;
    }
  }

  private async handle(job: NudgeJob): Promise<void> {
    const name = job.name as WorkerJobName;
    switch (name) {
      case WorkerJobName.ServerChanged:
        return this.reconciler.reconcile();
      case WorkerJobName.UserChanged: {
        const { userId, disabled } = job.data as WorkerJobPayloads[WorkerJobName.UserChanged];
        return this.users.userChanged(userId, disabled);
      }
      case WorkerJobName.KickSession: {
        const { sessionId } = job.data as WorkerJobPayloads[WorkerJobName.KickSession];
        if (!this.listeners.kick(sessionId, KICK_REPLY)) {
          this.logger.log(`kick: session ${sessionId} is not here (already gone)`);
        }
        return;
      }
      default: {
        const unknown: never = name;
        this.logger.warn(`discarding unknown nudge ${String(unknown)} (${job.id})`);
      }
    }
  }

  /**
   * Bounded (RunningJobs): BullMQ's graceful close would hang with Redis
   * unreachable. A nudge cut off is redelivered or made good by the next
   * reconcile (nudges only say "look again").
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.worker) await this.running.closeWorker(this.worker, NUDGES_DRAIN_MS);
  }
}
