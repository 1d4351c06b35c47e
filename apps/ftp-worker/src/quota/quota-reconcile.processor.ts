import { Logger } from '@nestjs/common';
import { MaintenanceJobName } from '@wharf/contracts';
import type { Job } from 'bullmq';

import { QuotaErrorCode, QuotaException } from './quota.exception';
import type {
  QuotaReconcileResult,
  QuotaReconcileScope,
  QuotaReconcileService,
} from './quota-reconcile.service';

export type MaintenanceJobResult = QuotaReconcileResult | { discarded: string };

/**
 * Consumes the `maintenance` queue in the worker (STYLE.md "Thin edges"):
 * unknown jobs are discarded with a reason; a failed reconcile is logged and
 * rethrown so BullMQ records it (the next scheduled run tries again).
 */
export class QuotaReconcileProcessor {
  private readonly logger = new Logger(QuotaReconcileProcessor.name);

  constructor(private readonly reconcile: QuotaReconcileService) {}

  async process(job: Job): Promise<MaintenanceJobResult> {
    try {
      const name = job.name as MaintenanceJobName;
      switch (name) {
        case MaintenanceJobName.QuotaReconcile:
          return await this.reconcile.run(scopeOf(job.data));
        case MaintenanceJobName.LogRetention:
        case MaintenanceJobName.EnsurePartitions:
          throw new QuotaException(
            QuotaErrorCode.UnknownJob,
            `${name} has no handler in the ftp-worker`,
          );
        default:
          throw new QuotaException(QuotaErrorCode.UnknownJob, `unknown job ${String(name)}`);
      }
    } catch (error) {
      if (error instanceof QuotaException && error.code === QuotaErrorCode.UnknownJob) {
        this.logger.warn(`discarded job ${job.id ?? '?'}: ${error.message}`);
        return { discarded: error.message };
      }
      this.logger.error(
        `job ${job.id ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  }
}

/** Only a well-formed list of user ids narrows the run; anything else means everyone. */
function scopeOf(data: unknown): QuotaReconcileScope {
  const userIds = (data as QuotaReconcileScope | null)?.userIds;
  return Array.isArray(userIds) && userIds.every((id) => typeof id === 'string') ? { userIds } : {};
}
