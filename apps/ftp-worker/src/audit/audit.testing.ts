/* Test support for the audit specs (never imported by production code). */
import type { TransferEventsBatch } from '@wharf/contracts';

import type { TransferBatchPublisher } from './transfer-event-shipper';

/** In-memory publisher that can be switched down, like an unreachable queue. */
export class FakePublisher implements TransferBatchPublisher {
  batches: TransferEventsBatch[] = [];
  attempts = 0;
  down = false;

  publish(batch: TransferEventsBatch): Promise<void> {
    this.attempts += 1;
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED'));
    this.batches.push(batch);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  ids(): string[] {
    return this.batches.flatMap((b) => b.events.map((e) => e.id));
  }
}
