import * as path from 'node:path';

import {
  type DynamicModule,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { queueOptions } from '@wharf/database';
import type { QueueOptions } from 'bullmq';

import { workerIdFor } from '../registry/worker-identity';
import { AUDIT_QUEUE_OPTIONS } from './audit.tokens';
import { QueueBatchPublisher } from './queue-batch-publisher';
import { TransferEventShipper } from './transfer-event-shipper';
import { TransferEventSpool } from './transfer-event-spool';

/** How long a stopping worker keeps shipping before leaving the rest in the spool. */
const SHUTDOWN_DRAIN_MS = 3000;

/**
 * Opens the spool before anything can append and starts the shipper; at
 * shutdown stops the shipper (after a short drain) and then flushes and closes
 * the spool. Shutdown runs in onApplicationShutdown, after the engine's
 * listeners have been drained (beforeApplicationShutdown), so late events of
 * closing sessions still reach the spool.
 */
@Injectable()
export class AuditLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuditLifecycle.name);

  constructor(
    private readonly spool: TransferEventSpool,
    private readonly shipper: TransferEventShipper,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.spool.open();
    this.shipper.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shipper.stop(SHUTDOWN_DRAIN_MS);
    await this.spool.close();
    if (this.spool.hasUnshipped()) {
      this.logger.log('unshipped audit events stay in the spool for the next start');
    }
  }
}

/**
 * The worker side of the audit pipeline (docs/design/2026-11-25-audit-pipeline.md):
 * inject TransferEventSpool and `await spool.append(record)` before the reply
 * that depends on the event.
 */
@Module({})
export class AuditModule {
  static forRoot(config: WharfConfig): DynamicModule {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is required for the ftp-worker');
    const databaseUrl = config.databaseUrl;
    return {
      module: AuditModule,
      providers: [
        { provide: AUDIT_QUEUE_OPTIONS, useFactory: () => queueOptions(config, databaseUrl) },
        {
          provide: TransferEventSpool,
          // One directory per worker id: scaled workers may share a data volume, and two
          // processes appending to one spool would corrupt it.
          useFactory: () =>
            new TransferEventSpool({
              dir: path.join(config.spoolDir, workerIdFor(config.worker.id)),
            }),
        },
        {
          provide: TransferEventShipper,
          inject: [TransferEventSpool, AUDIT_QUEUE_OPTIONS],
          useFactory: (spool: TransferEventSpool, options: QueueOptions) =>
            new TransferEventShipper(spool, new QueueBatchPublisher(options)),
        },
        AuditLifecycle,
      ],
      exports: [TransferEventSpool, TransferEventShipper, AUDIT_QUEUE_OPTIONS],
    };
  }
}
