import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QueueName } from '@wharf/contracts';
import type { QueueOptions } from 'bullmq';

import { QUEUE_OPTIONS } from '../config.token';
import { TransferEventsProcessor } from './transfer-events.processor';
import { TransferIngestService } from './transfer-ingest.service';
import { TransferStatsService } from './transfer-stats.service';
import { TransfersController } from './transfers.controller';
import { TransfersService } from './transfers.service';

/**
 * The api side of the audit pipeline: ingests `transfer-events` batches and
 * serves the audit trail. Also holds BullModule's root configuration for the
 * api (the process's QueueOptions, Redis or PostgreSQL backend); BullModule's
 * root config is global, so other modules only call registerQueue.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [QUEUE_OPTIONS],
      useFactory: (options: QueueOptions) => options,
    }),
    // Also what makes @nestjs/bullmq discover @Processor classes (its explorer comes with registerQueue).
    BullModule.registerQueue({ name: QueueName.TransferEvents }),
  ],
  controllers: [TransfersController],
  providers: [
    TransfersService,
    TransferStatsService,
    TransferIngestService,
    TransferEventsProcessor,
  ],
})
export class TransfersModule {}
