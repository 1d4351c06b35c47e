import {
  appendFile,
  type FileHandle,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
} from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { transferEvent } from './transfer-event.builder';
import { TransferEventSpool } from './transfer-event-spool';

describe('TransferEventSpool', () => {
  let dir: string;
  const spools: TransferEventSpool[] = [];
  const openSpool = async (options: { segmentMaxBytes?: number } = {}) => {
    const spool = new TransferEventSpool({ dir, ...options });
    spools.push(spool);
    await spool.open();
    return spool;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-spool-'));
  });
  afterEach(async () => {
    for (const spool of spools.splice(0)) await spool.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves append only once the event is on disk, and reads events back in order', async () => {
    const spool = await openSpool();
    const events = Array.from({ length: 50 }, (_v, i) => transferEvent({ bytes: i }));
    await Promise.all(events.map((e) => spool.append(e)));
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    const onDisk = (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join(
      '',
    );
    expect(onDisk.trim().split('\n')).toHaveLength(50);
    const batch = await spool.read(spool.checkpoint(), 1000);
    expect(batch?.events.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('answers no append before its datasync, and writes the appends that arrive meanwhile with one more', async () => {
    // Every datasync of the active segment waits until the test releases it.
    const syncs: { release: () => void }[] = [];
    const openSegment = async (file: string, flags: 'a') => {
      const handle = await open(file, flags);
      const datasync = handle.datasync.bind(handle);
      handle.datasync = () =>
        new Promise<void>((resolve, reject) => {
          syncs.push({ release: () => datasync().then(resolve, reject) });
        });
      return handle;
    };
    const spool = new TransferEventSpool({ dir, openSegment });
    spools.push(spool);
    await spool.open();
    const settled = new Set<number>();
    const track = (i: number, p: Promise<void>) => p.then(() => settled.add(i));
    const waitFor = async (condition: () => boolean) => {
      while (!condition()) await new Promise((r) => setTimeout(r, 5));
    };

    const first = track(0, spool.append(transferEvent()));
    await waitFor(() => syncs.length === 1);
    // Sessions append while that datasync is in flight: they wait, none is answered.
    const later = [1, 2, 3].map((i) => track(i, spool.append(transferEvent())));
    await new Promise((r) => setTimeout(r, 30));
    expect(settled.size).toBe(0);
    expect(syncs).toHaveLength(1);

    syncs[0]!.release();
    await first;
    expect([...settled]).toEqual([0]);
    // The three waiting appends go out together: one write, one more datasync.
    await waitFor(() => syncs.length === 2);
    await new Promise((r) => setTimeout(r, 30));
    expect(settled.size).toBe(1);
    expect(syncs).toHaveLength(2);
    syncs[1]!.release();
    await Promise.all(later);
    expect(settled.size).toBe(4);
    expect(syncs).toHaveLength(2);
    expect((await spool.read(spool.checkpoint(), 10))?.events).toHaveLength(4);
  });

  it('reads in batches and moves the checkpoint only on commit', async () => {
    const spool = await openSpool();
    const events = Array.from({ length: 10 }, () => transferEvent());
    for (const e of events) await spool.append(e);
    const first = await spool.read(spool.checkpoint(), 4);
    expect(first?.events.map((e) => e.id)).toEqual(events.slice(0, 4).map((e) => e.id));
    // Not committed: a new reader starts at the beginning again.
    expect((await spool.read(spool.checkpoint(), 4))?.events[0]?.id).toBe(events[0]!.id);
    await spool.commit(first!.end);
    const second = await spool.read(spool.checkpoint(), 100);
    expect(second?.events.map((e) => e.id)).toEqual(events.slice(4).map((e) => e.id));
    await spool.commit(second!.end);
    expect(spool.hasUnshipped()).toBe(false);
    expect(await spool.read(spool.checkpoint(), 100)).toBeNull();
  });

  it('survives a restart: a new instance re-reads exactly the unshipped events', async () => {
    const spool = await openSpool();
    const events = Array.from({ length: 6 }, () => transferEvent());
    for (const e of events) await spool.append(e);
    const shipped = await spool.read(spool.checkpoint(), 2);
    await spool.commit(shipped!.end);
    await spool.close();

    const reopened = await openSpool();
    expect(reopened.hasUnshipped()).toBe(true);
    const rest = await reopened.read(reopened.checkpoint(), 100);
    expect(rest?.events.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
    const later = transferEvent();
    await reopened.append(later);
    const all = await reopened.read(reopened.checkpoint(), 100);
    expect(all?.events.map((e) => e.id)).toEqual([...events.slice(2), later].map((e) => e.id));
  });

  it('cuts a torn last line left by a crash mid-write', async () => {
    const spool = await openSpool();
    const kept = transferEvent();
    await spool.append(kept);
    await spool.close();
    const segment = (await readdir(dir)).find((f) => f.endsWith('.jsonl'))!;
    await appendFile(path.join(dir, segment), '{"id":"0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f","occ');

    const reopened = await openSpool();
    const batch = await reopened.read(reopened.checkpoint(), 100);
    expect(batch?.events.map((e) => e.id)).toEqual([kept.id]);
  });

  it('rolls segments and deletes them once shipped', async () => {
    const spool = await openSpool({ segmentMaxBytes: 2000 });
    const events = Array.from({ length: 40 }, () => transferEvent());
    for (const e of events) await spool.append(e);
    const segmentsBefore = (await readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    expect(segmentsBefore.length).toBeGreaterThan(3);
    const ids: string[] = [];
    for (;;) {
      const batch = await spool.read(spool.checkpoint(), 7);
      if (!batch) break;
      ids.push(...batch.events.map((e) => e.id));
      await spool.commit(batch.end);
    }
    expect(ids).toEqual(events.map((e) => e.id));
    const segmentsAfter = (await readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    expect(segmentsAfter).toHaveLength(1);
  });

  it('rejects an append whose write failed and keeps working afterwards', async () => {
    const spool = await openSpool();
    const first = transferEvent();
    await spool.append(first);
    const handle = (spool as unknown as { activeHandle: FileHandle }).activeHandle;
    const realWrite = handle.write.bind(handle);
    handle.write = (() => Promise.reject(new Error('EIO'))) as typeof handle.write;
    await expect(spool.append(transferEvent())).rejects.toThrow('EIO');
    handle.write = realWrite;
    const after = transferEvent();
    await spool.append(after);
    const batch = await spool.read(spool.checkpoint(), 10);
    expect(batch?.events.map((e) => e.id)).toEqual([first.id, after.id]);
  });

  it('refuses appends after close and writes what was pending before closing', async () => {
    const spool = await openSpool();
    const pending = spool.append(transferEvent());
    await spool.close();
    await pending;
    await expect(spool.append(transferEvent())).rejects.toThrow('closed');
    const reopened = await openSpool();
    expect((await reopened.read(reopened.checkpoint(), 10))?.events).toHaveLength(1);
  });
});
