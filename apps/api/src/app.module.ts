import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { WharfConfig } from '@wharf/config';
import { createDataSource } from '@wharf/database';
import type { QueueOptions } from 'bullmq';

import { AdminsModule } from './admins/admins.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { LOGIN_RATE_LIMITS, type LoginRateLimits } from './auth/login-rate-limiter';
import { BadRequestFilter, DatabaseExceptionFilter } from './common/errors';
import { PaginatedInterceptor } from './common/list-query';
import { JWT_SECRET, QUEUE_OPTIONS, WHARF_CONFIG } from './config.token';
import { FtpUsersModule } from './ftp-users/ftp-users.module';
import { GroupsModule } from './groups/groups.module';
import { HealthModule } from './health/health.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MetricsModule } from './metrics/metrics.module';
import { ServersModule } from './servers/servers.module';
import { SessionsModule } from './sessions/sessions.module';
import { TransfersModule } from './transfers/transfers.module';
import { WorkersModule } from './workers/workers.module';

export interface ApiModuleOptions {
  config: WharfConfig;
  databaseUrl: string;
  jwtSecret: string;
  queueOptions: QueueOptions;
  loginRateLimits: LoginRateLimits;
}

/** Process-wide values every module may inject. */
@Global()
@Module({})
class CoreModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: WHARF_CONFIG, useValue: options.config },
        { provide: JWT_SECRET, useValue: options.jwtSecret },
        { provide: QUEUE_OPTIONS, useValue: options.queueOptions },
        { provide: LOGIN_RATE_LIMITS, useValue: options.loginRateLimits },
      ],
      exports: [WHARF_CONFIG, JWT_SECRET, QUEUE_OPTIONS, LOGIN_RATE_LIMITS],
    };
  }
}

/** Pooled connections idle this long are closed (pg's default, 10 s, re-warmed them for every admin click). */
export const API_DB_IDLE_TIMEOUT_MS = 10 * 60_000;

/**
 * Feature modules of the api. Modules added by other features (ftp-users,
 * groups, servers, workers, ...) go in FEATURE_MODULES.
 */
export const FEATURE_MODULES = [
  AuthModule,
  AuditModule,
  AdminsModule,
  ApiKeysModule,
  FtpUsersModule,
  GroupsModule,
  ServersModule,
  WorkersModule,
  TransfersModule,
  SessionsModule,
];

@Module({})
export class AppModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          dataSourceFactory: () =>
            createDataSource(options.databaseUrl, {
              applicationName: 'wharf-api',
              // Admin pages arrive seconds apart: keep backends whose catalog caches are warm.
              idleTimeoutMs: API_DB_IDLE_TIMEOUT_MS,
            }).initialize(),
        }),
        ...FEATURE_MODULES,
        HealthModule,
        MaintenanceModule,
        MetricsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: DatabaseExceptionFilter },
        { provide: APP_FILTER, useClass: BadRequestFilter },
        { provide: APP_INTERCEPTOR, useClass: PaginatedInterceptor },
      ],
    };
  }
}
