import {
  type DynamicModule,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { createDataSource, queueOptions } from '@wharf/database';
import { DataSource } from 'typeorm';

import { workerIdFor } from '../registry/worker-identity';
import { SESSION_QUOTA } from '../worker.tokens';
import { QuotaRepository } from './quota.repository';
import { QuotaService, type QuotaServiceOptions } from './quota.service';
import {
  QUOTA_OPTIONS,
  QUOTA_QUEUE_OPTIONS,
  QUOTA_RECONCILE_OPTIONS,
  QUOTA_SCHEDULE_OPTIONS,
} from './quota.tokens';
import { QuotaReconcileScheduler, type QuotaScheduleOptions } from './quota-reconcile.scheduler';
import { DEFAULT_QUOTA_SCHEDULE } from './quota-reconcile.scheduler';
import { type QuotaReconcileOptions, QuotaReconcileService } from './quota-reconcile.service';
import { UsageDeltaBuffer } from './usage-deltas';

/** The quota module's own small pool, so it depends on no other module's providers. */
const QUOTA_DATA_SOURCE_POOL = 3;

export interface QuotaModuleOptions {
  schedule?: Partial<QuotaScheduleOptions>;
  reconcile?: Partial<Omit<QuotaReconcileOptions, 'storageRoot'>>;
  now?: () => Date;
}

@Injectable()
class QuotaDataSourceLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger(QuotaDataSourceLifecycle.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly deltas: UsageDeltaBuffer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    // The sessions have drained (beforeApplicationShutdown): their written-behind usage goes last.
    await this.deltas.close().catch((error: unknown) => {
      this.logger.warn(`usage counters of the last second lost: ${String(error)}`);
    });
    await this.dataSource.destroy();
  }
}

/**
 * Quotas and limits of the FTP worker (issue 4 §4). Import
 * `QuotaModule.forRoot(config)`: it provides SESSION_QUOTA (worker.tokens.ts)
 * for the login service, and QuotaService. Per FTP session:
 *
 *   const quota = await quotaService.openSession({ userId, sessionId, limits });
 *   principal.fileSystem = quota.wrapFileSystem(localFs);
 *   policy.reserve / policy.release = quota.policyHooks(); // null: no byte limit, no hooks
 *   policy.bandwidth = await quotaService.bandwidthFor(userId, serverId);
 *   onLogout: await quota.close();
 *
 * Also runs the maintenance queue's QuotaReconcile job (scheduler + consumer).
 */
@Module({})
export class QuotaModule {
  static forRoot(config: WharfConfig, options: QuotaModuleOptions = {}): DynamicModule {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is required for the ftp-worker');
    const databaseUrl = config.databaseUrl;
    const serviceOptions: QuotaServiceOptions = {
      workerId: workerIdFor(config.worker.id),
      now: options.now,
    };
    const reconcileOptions: QuotaReconcileOptions = {
      storageRoot: config.storageRoot,
      staleWorkerAfterSeconds: 3 * config.worker.heartbeatSeconds,
      staleTempFileAgeMs: 24 * 3600 * 1000,
      now: options.now,
      ...options.reconcile,
    };
    return {
      module: QuotaModule,
      // Global: the worker's login service sees SESSION_QUOTA wherever this is imported.
      global: true,
      providers: [
        {
          provide: DataSource,
          useFactory: () =>
            createDataSource(databaseUrl, {
              poolSize: QUOTA_DATA_SOURCE_POOL,
              applicationName: 'wharf-ftp-worker-quota',
            }).initialize(),
        },
        QuotaDataSourceLifecycle,
        { provide: QUOTA_OPTIONS, useValue: serviceOptions },
        { provide: QUOTA_RECONCILE_OPTIONS, useValue: reconcileOptions },
        { provide: QUOTA_QUEUE_OPTIONS, useFactory: () => queueOptions(config, databaseUrl) },
        {
          provide: QUOTA_SCHEDULE_OPTIONS,
          useValue: { ...DEFAULT_QUOTA_SCHEDULE, ...options.schedule },
        },
        QuotaRepository,
        {
          provide: UsageDeltaBuffer,
          inject: [QuotaRepository],
          useFactory: (repository: QuotaRepository) => new UsageDeltaBuffer(repository),
        },
        QuotaService,
        // The worker's login service takes any SessionQuotaProvider under this token.
        { provide: SESSION_QUOTA, useExisting: QuotaService },
        QuotaReconcileService,
        QuotaReconcileScheduler,
      ],
      exports: [QuotaService, SESSION_QUOTA, QuotaReconcileService, QuotaReconcileScheduler],
    };
  }
}
