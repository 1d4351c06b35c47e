import { type DynamicModule, Module } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { createDataSource } from '@wharf/database';
import { DataSource } from 'typeorm';

import { AuditModule } from './audit/audit.module';
import { OrphanSpoolsService } from './audit/orphan-spools.service';
import { FtpLoginService } from './auth/ftp-login.service';
import { LoginStore } from './auth/login-store';
import { VerifiedPasswordCache } from './auth/verified-password-cache';
import { EngineEventSinks } from './events/engine-event-sink';
import { HealthServer } from './health/health.server';
import { WorkerNudgesProcessor } from './nudges/worker-nudges.processor';
import { LivePrincipals } from './policy/live-principals';
import { QuotaModule } from './quota/quota.module';
import { WorkerRegistryService } from './registry/worker-registry.service';
import { FtpListeners } from './servers/ftp-listeners';
import { LiveSessionsPublisher } from './servers/live-sessions.publisher';
import { ServerCatalog } from './servers/server-catalog';
import { ServerReconciler } from './servers/server-reconciler.service';
import { SessionReporter } from './sessions/session-reporter.service';
import { UserSessionsService } from './users/user-sessions.service';
import {
  DEFAULT_WORKER_OPTIONS,
  WORKER_CONFIG,
  WORKER_OPTIONS,
  type WorkerOptions,
} from './worker.tokens';

@Module({})
export class WorkerModule {
  static forRoot(config: WharfConfig, options: Partial<WorkerOptions> = {}): DynamicModule {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is required for the ftp-worker');
    const databaseUrl = config.databaseUrl;
    return {
      module: WorkerModule,
      // QuotaModule is global and provides SESSION_QUOTA: every session gets
      // storage/transfer quota hooks and usage counters.
      imports: [AuditModule.forRoot(config), QuotaModule.forRoot(config)],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        {
          provide: WORKER_OPTIONS,
          useValue: {
            ...DEFAULT_WORKER_OPTIONS,
            drainGraceMs: config.worker.drainGraceSeconds * 1000,
            ...options,
          },
        },
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
        { provide: VerifiedPasswordCache, useFactory: () => new VerifiedPasswordCache() },
        LoginStore,
        LivePrincipals,
        FtpLoginService,
        EngineEventSinks,
        FtpListeners,
        ServerCatalog,
        UserSessionsService,
        ServerReconciler,
        LiveSessionsPublisher,
        WorkerNudgesProcessor,
        OrphanSpoolsService,
      ],
    };
  }
}
