import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import type { TransferEventRecord } from '@wharf/contracts';

import { FakePublisher } from './audit.testing';
import { ADOPTED, OrphanSpoolCollector } from './orphan-spool-collector';
import { transferEvent } from './transfer-event.builder';
import { TransferEventShipper } from './transfer-event-shipper';
import { TransferEventSpool } from './transfer-event-spool';

const QUIET_MS = 60_000;

describe('OrphanSpoolCollector', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'wharf-orphans-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** A worker's spool as a killed process leaves it: events appended, none shipped. */
  async function leaveSpool(name: string, count: number, ageMs = 2 * QUIET_MS) {
    const dir = path.join(root, name);
    const spool = new TransferEventSpool({ dir });
    await spool.open();
    const events: TransferEventRecord[] = [];
    for (let i = 0; i < count; i++) {
      const e = transferEvent();
      events.push(e);
      await spool.append(e);
    }
    await spool.close();
    const then = new Date(Date.now() - ageMs);
    for (const entry of await readdir(dir)) await utimes(path.join(dir, entry), then, then);
    await utimes(dir, then, then);
    return events;
  }

  function collector(workerId: string, publisher: FakePublisher, alive: string[] = []) {
    return new OrphanSpoolCollector(
      { spoolRoot: root, workerId, quietForMs: QUIET_MS, shipTimeoutMs: 5000 },
      { isAlive: (id) => Promise.resolve(alive.includes(id)) },
      (spool) => new TransferEventShipper(spool, publisher),
    );
  }

  it('ships the spool of a worker gone under another id, once, then removes it', async () => {
    const events = await leaveSpool('worker-old-host', 7);
    const publisher = new FakePublisher();
    expect(await collector('worker-new-host', publisher).collectOnce()).toBe(1);
    expect(publisher.ids()).toEqual(events.map((e) => e.id));
    expect(await readdir(root)).toEqual([]);
    expect(await collector('worker-new-host', publisher).collectOnce()).toBe(0);
    expect(publisher.ids()).toHaveLength(7);
  });

  it("leaves alone its own spool, a live worker's, and one that changed recently", async () => {
    await leaveSpool('worker-me', 2);
    await leaveSpool('worker-alive', 2);
    await leaveSpool('worker-just-restarted', 2, 0);
    const publisher = new FakePublisher();
    expect(await collector('worker-me', publisher, ['worker-alive']).collectOnce()).toBe(0);
    expect(publisher.batches).toEqual([]);
    expect((await readdir(root)).sort()).toEqual([
      'worker-alive',
      'worker-just-restarted',
      'worker-me',
    ]);
  });

  it('hands a spool to exactly one of several workers scanning at once', async () => {
    const events = await leaveSpool('worker-gone', 20);
    const publishers = [new FakePublisher(), new FakePublisher(), new FakePublisher()];
    const results = await Promise.all(
      publishers.map((p, i) => collector(`worker-live-${i}`, p).collectOnce()),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(1);
    const shipped = publishers.flatMap((p) => p.ids());
    expect(shipped).toEqual(events.map((e) => e.id));
    expect(await readdir(root)).toEqual([]);
  });

  it('keeps a spool it took while the queue is down, and finishes it later (or another worker does, under one prefix)', async () => {
    const events = await leaveSpool('worker-gone', 5);
    const down = new FakePublisher();
    down.down = true;
    /** A worker whose queue is down: it takes the spool, keeps it, then dies (ages it). */
    const takeAndDie = async (workerId: string) => {
      const taker = new OrphanSpoolCollector(
        { spoolRoot: root, workerId, quietForMs: QUIET_MS, shipTimeoutMs: 300 },
        { isAlive: () => Promise.resolve(false) },
        (spool) => new TransferEventShipper(spool, down, { minBackoffMs: 10, maxBackoffMs: 20 }),
      );
      expect(await taker.collectOnce()).toBe(0);
      const taken = path.join(root, `${workerId}${ADOPTED}worker-gone`);
      expect(await readdir(root)).toEqual([path.basename(taken)]);
      const then = new Date(Date.now() - 2 * QUIET_MS);
      for (const entry of await readdir(taken)) await utimes(path.join(taken, entry), then, then);
      await utimes(taken, then, then);
    };
    await takeAndDie('worker-a');
    // worker-b takes it over from worker-a, and dies too: the name keeps one adopter, not a chain.
    await takeAndDie('worker-b');

    const up = new FakePublisher();
    expect(await collector('worker-c', up).collectOnce()).toBe(1);
    expect(up.ids()).toEqual(events.map((e) => e.id));
    expect(await readdir(root)).toEqual([]);
  });

  it('stops a shipment at once when the worker shuts down, keeping the spool for later', async () => {
    await leaveSpool('worker-gone', 5);
    const down = new FakePublisher();
    down.down = true;
    const slow = new OrphanSpoolCollector(
      { spoolRoot: root, workerId: 'worker-a', quietForMs: QUIET_MS, shipTimeoutMs: 30_000 },
      { isAlive: () => Promise.resolve(false) },
      (spool) => new TransferEventShipper(spool, down, { minBackoffMs: 10, maxBackoffMs: 20 }),
    );
    const scan = slow.collectOnce();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await slow.stop();
    expect(await scan).toBe(0);
    // Not the 30 s of shipTimeoutMs (the worker's shutdown used to wait them out).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await readdir(root)).toEqual([`worker-a${ADOPTED}worker-gone`]);
  });
});
