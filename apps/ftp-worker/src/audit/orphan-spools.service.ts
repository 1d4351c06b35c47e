import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import type { QueueOptions } from 'bullmq';
import { DataSource } from 'typeorm';

import { WorkerRegistryService } from '../registry/worker-registry.service';
import { WORKER_CONFIG, WORKER_OPTIONS, type WorkerOptions } from '../worker.tokens';
import { AUDIT_QUEUE_OPTIONS } from './audit.tokens';
import { OrphanSpoolCollector } from './orphan-spool-collector';
import { QueueBatchPublisher } from './queue-batch-publisher';
import { TransferEventShipper } from './transfer-event-shipper';

/** Heartbeats a worker may miss before it counts as gone (as everywhere else). */
const MISSED_BEATS = 3;

/**
 * Runs the OrphanSpoolCollector at boot and every `orphanSpoolScanMs`: spools
 * of workers that are gone (no fresh heartbeat, or stopped) are shipped by
 * whichever live worker on the same volume takes them first.
 */
@Injectable()
export class OrphanSpoolsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrphanSpoolsService.name);
  private collector: OrphanSpoolCollector | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WharfConfig,
    @Inject(WORKER_OPTIONS) private readonly options: WorkerOptions,
    @Inject(AUDIT_QUEUE_OPTIONS) private readonly queueOptions: QueueOptions,
    private readonly registry: WorkerRegistryService,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    const staleAfterSeconds = MISSED_BEATS * this.config.worker.heartbeatSeconds;
    this.collector = new OrphanSpoolCollector(
      {
        spoolRoot: this.config.spoolDir,
        workerId: this.registry.workerId,
        quietForMs: staleAfterSeconds * 1000,
        shipTimeoutMs: 30_000,
      },
      { isAlive: (id) => this.isAlive(id, staleAfterSeconds) },
      (spool) => new TransferEventShipper(spool, new QueueBatchPublisher(this.queueOptions)),
    );
    void this.scan();
    this.timer = setInterval(() => void this.scan(), this.options.orphanSpoolScanMs);
    this.timer.unref();
  }

  /** Runs one scan unless one is running; resolves when it is done (tests). */
  scan(): Promise<void> {
    this.running ??= (this.collector?.collectOnce() ?? Promise.resolve(0))
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.warn(
          `orphaned spool scan failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.collector?.stop();
    await this.running;
  }

  private async isAlive(workerId: string, staleAfterSeconds: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM workers
        WHERE id = $1 AND status <> 'stopped'
          AND last_heartbeat_at > now() - make_interval(secs => $2)`,
      [workerId, staleAfterSeconds],
    )) as unknown[];
    return rows.length > 0;
  }
}
