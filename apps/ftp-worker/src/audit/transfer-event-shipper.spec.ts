import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import type { TransferEventsBatch } from '@wharf/contracts';

import { transferEvent } from './transfer-event.builder';
import { type TransferBatchPublisher, TransferEventShipper } from './transfer-event-shipper';
import { TransferEventSpool } from './transfer-event-spool';

/** In-memory publisher that can be switched down, like an unreachable queue. */
class FakePublisher implements TransferBatchPublisher {
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

describe('TransferEventShipper', () => {
  let dir: string;
  let spool: TransferEventSpool;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-shipper-'));
    spool = new TransferEventSpool({ dir });
    await spool.open();
  });
  afterEach(async () => {
    await spool.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ships appended events in order, in batches', async () => {
    const publisher = new FakePublisher();
    const shipper = new TransferEventShipper(spool, publisher, { maxBatch: 10 });
    shipper.start();
    const events = Array.from({ length: 35 }, () => transferEvent());
    for (const e of events) await spool.append(e);
    await shipper.waitUntilShipped(5000);
    await shipper.stop();
    expect(publisher.ids()).toEqual(events.map((e) => e.id));
    expect(Math.max(...publisher.batches.map((b) => b.events.length))).toBeLessThanOrEqual(10);
  });

  it('keeps events in the spool while the queue is down and drains them after recovery', async () => {
    const publisher = new FakePublisher();
    publisher.down = true;
    const shipper = new TransferEventShipper(spool, publisher, {
      minBackoffMs: 10,
      maxBackoffMs: 40,
    });
    shipper.start();
    const events = Array.from({ length: 20 }, () => transferEvent());
    for (const e of events) await spool.append(e);
    await new Promise((r) => setTimeout(r, 200));
    expect(publisher.attempts).toBeGreaterThan(1);
    expect(publisher.batches).toHaveLength(0);
    expect(shipper.backlogged).toBe(true);
    expect(spool.hasUnshipped()).toBe(true);

    publisher.down = false;
    await shipper.waitUntilShipped(5000);
    await shipper.stop();
    expect(publisher.ids()).toEqual(events.map((e) => e.id));
    expect(shipper.backlogged).toBe(false);
  });

  it('a new shipper after a crash re-sends what was not committed', async () => {
    const publisher = new FakePublisher();
    publisher.down = true;
    const crashed = new TransferEventShipper(spool, publisher, { minBackoffMs: 10 });
    crashed.start();
    const events = Array.from({ length: 5 }, () => transferEvent());
    for (const e of events) await spool.append(e);
    await crashed.stop();
    await spool.close();

    spool = new TransferEventSpool({ dir });
    await spool.open();
    publisher.down = false;
    const restarted = new TransferEventShipper(spool, publisher);
    restarted.start();
    await restarted.waitUntilShipped(5000);
    await restarted.stop();
    expect(publisher.ids()).toEqual(events.map((e) => e.id));
  });
});
