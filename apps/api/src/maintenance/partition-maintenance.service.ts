import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ensureTransferLogPartitions } from '@wharf/database';
import { DataSource } from 'typeorm';

/** Months of transfer_logs partitions kept ready ahead of now. */
export const PARTITION_MONTHS_AHEAD = 3;
const EVERY_MS = 6 * 60 * 60 * 1000;

/**
 * createApiApp creates the partitions at boot; this keeps creating them while
 * the api runs for months. Several api replicas are fine: the function takes
 * an advisory lock and is idempotent. A failure is logged and retried at the
 * next tick; rows meanwhile land in the default partition and are moved into
 * their month when it is created.
 */
@Injectable()
export class PartitionMaintenanceService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PartitionMaintenanceService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async run(now: Date = new Date()): Promise<string[]> {
    try {
      const created = await ensureTransferLogPartitions(
        this.dataSource,
        PARTITION_MONTHS_AHEAD,
        now,
      );
      if (created.length) this.logger.log(`created transfer_logs partitions ${created.join(', ')}`);
      return created;
    } catch (error) {
      this.logger.error(`could not create transfer_logs partitions: ${String(error)}`);
      return [];
    }
  }
}
