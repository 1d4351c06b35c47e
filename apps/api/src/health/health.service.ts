import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Queue, type QueueOptions } from 'bullmq';
import { DataSource } from 'typeorm';

import { QUEUE_OPTIONS } from '../config.token';

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: { database: 'up' | 'down'; queue: 'up' | 'down' };
}

const PROBE_TIMEOUT_MS = 3000;
/** A queue of its own, so probing never touches real jobs. */
const PROBE_QUEUE = 'readiness-probe';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

@Injectable()
export class HealthService implements OnModuleDestroy {
  private readonly logger = new Logger(HealthService.name);
  private queue: Queue | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(QUEUE_OPTIONS) private readonly queueOptions: QueueOptions,
  ) {}

  async readiness(): Promise<ReadinessReport> {
    const [database, queue] = await Promise.all([
      this.check('database', () => this.pingDatabase()),
      this.check('queue', () => this.pingQueue()),
    ]);
    return {
      status: database === 'up' && queue === 'up' ? 'ok' : 'unavailable',
      checks: { database, queue },
    };
  }

  /** Bounded: closing a queue whose backend never answered would otherwise hang shutdown. */
  async onModuleDestroy(): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    try {
      await withTimeout(queue.close(), PROBE_TIMEOUT_MS);
    } catch {
      await withTimeout(queue.disconnect(), PROBE_TIMEOUT_MS).catch(() => undefined);
    }
  }

  private async check(name: string, probe: () => Promise<unknown>): Promise<'up' | 'down'> {
    try {
      await withTimeout(probe(), PROBE_TIMEOUT_MS);
      return 'up';
    } catch (error) {
      this.logger.warn(`readiness: ${name} down: ${String(error)}`);
      return 'down';
    }
  }

  private async pingDatabase(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  private async pingQueue(): Promise<void> {
    if (!this.queue) {
      this.queue = new Queue(PROBE_QUEUE, this.queueOptions);
      // Without a listener, connection errors are printed on every retry.
      this.queue.on('error', (error: Error) => this.logger.debug(`probe queue: ${error.message}`));
    }
    await this.queue.getJobCounts('waiting');
  }
}
