import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { FakePublisher } from './audit.testing';
import { transferEvent } from './transfer-event.builder';
import { TransferEventShipper } from './transfer-event-shipper';
import { TransferEventSpool } from './transfer-event-spool';

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

  it('waits a moment after a wake-up, so the appends of several sessions travel in one job', async () => {
    const publisher = new FakePublisher();
    const shipper = new TransferEventShipper(spool, publisher, { lingerMs: 1000 });
    shipper.start();
    // Five sessions append one after another, each flushed on its own.
    const events = Array.from({ length: 5 }, () => transferEvent());
    for (const e of events) await spool.append(e);
    await shipper.waitUntilShipped(5000);
    await shipper.stop();
    expect(publisher.ids()).toEqual(events.map((e) => e.id));
    expect(publisher.batches).toHaveLength(1);
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
