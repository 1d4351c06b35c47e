import { type DynamicModule, Module } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { createDataSource } from '@wharf/database';
import { DataSource } from 'typeorm';

import { AuditModule } from './audit/audit.module';
import { HealthServer } from './health/health.server';
import { WorkerRegistryService } from './registry/worker-registry.service';
import { SessionReporter } from './sessions/session-reporter.service';
import { WORKER_CONFIG } from './worker.tokens';

@Module({})
export class WorkerModule {
  static forRoot(config: WharfConfig): DynamicModule {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is required for the ftp-worker');
    const databaseUrl = config.databaseUrl;
    return {
      module: WorkerModule,
      imports: [AuditModule.forRoot(config)],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        {
          provide: DataSource,
          useFactory: async () =>
            createDataSource(databaseUrl, {
              poolSize: 5,
              applicationName: 'wharf-ftp-worker',
            }).initialize(),
        },
        WorkerRegistryService,
        HealthServer,
        SessionReporter,
      ],
    };
  }
}
