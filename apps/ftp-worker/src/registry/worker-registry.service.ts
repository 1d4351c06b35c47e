import * as os from 'node:os';

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { WHARF_VERSION } from '@wharf/contracts';
import { WorkerNode, type WorkerNodeStatus } from '@wharf/database';
import { DataSource } from 'typeorm';

import { WORKER_CONFIG } from '../worker.tokens';
import { workerIdFor } from './worker-identity';

/**
 * Registers this worker in `workers` at boot and heartbeats every few seconds.
 * Readers derive "stale" from the heartbeat age (three missed beats), so a
 * worker that dies without saying goodbye is still seen as gone.
 */
@Injectable()
export class WorkerRegistryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerRegistryService.name);
  readonly workerId: string;
  private timer: NodeJS.Timeout | undefined;
  private sessionCount = 0;
  private status: WorkerNodeStatus = 'running';
  /** Facts merged into `workers.meta` on every beat (listeners, bind errors...). */
  private reported: Record<string, unknown> = {};

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WharfConfig,
    private readonly dataSource: DataSource,
  ) {
    this.workerId = workerIdFor(config.worker.id);
  }

  async onApplicationBootstrap(): Promise<void> {
    const now = new Date();
    await this.dataSource.getRepository(WorkerNode).upsert(
      {
        id: this.workerId,
        hostname: os.hostname(),
        version: WHARF_VERSION,
        startedAt: now,
        lastHeartbeatAt: now,
        status: 'running',
        sessionCount: 0,
        meta: { pid: process.pid, node: process.version },
      },
      ['id'],
    );
    this.logger.log(`registered as ${this.workerId}`);
    this.timer = setInterval(() => void this.beat(), this.config.worker.heartbeatSeconds * 1000);
    this.timer.unref();
  }

  setSessionCount(count: number): void {
    this.sessionCount = count;
  }

  /** Status sent from now on (e.g. `draining` while SIGTERM lets transfers finish). */
  setStatus(status: WorkerNodeStatus): void {
    this.status = status;
  }

  /** Replaces the reported facts; sent with the next beat. */
  setReport(report: Record<string, unknown>): void {
    this.reported = report;
  }

  async beat(status: WorkerNodeStatus = this.status): Promise<void> {
    try {
      await this.dataSource.getRepository(WorkerNode).update(
        { id: this.workerId },
        {
          lastHeartbeatAt: new Date(),
          status,
          sessionCount: this.sessionCount,
          meta: { pid: process.pid, node: process.version, ...this.reported },
        },
      );
    } catch (error) {
      // The next beat retries; a worker must not die because PostgreSQL blinked.
      this.logger.warn(
        `heartbeat failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.beat('stopped');
    this.logger.log(`stopped${signal ? ` on ${signal}` : ''}`);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
