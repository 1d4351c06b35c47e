/*
 * The audit pipeline end to end, in one process: the worker's spool and
 * shipper on one side, the api (with its transfer-events processor) on the
 * other, over the real queue backend of this run (Redis when REDIS_URL is set,
 * else BullMQ's PostgreSQL backend) and the real test database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { loadConfig } from '@wharf/config';
import { QueueName, transferEventsJobId,TransferEventsJobName } from '@wharf/contracts';
import { findFreePort, queueOptions } from '@wharf/database';
import { Queue } from 'bullmq';

// The e2e suite composes both apps in one process on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type ApiTestApp, createApiTestApp } from '../../apps/api/src/testing/api-test-app';
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  QueueBatchPublisher,
  TRANSFER_EVENTS_JOB_OPTIONS,
} from '../../apps/ftp-worker/src/audit/queue-batch-publisher';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { transferEvent } from '../../apps/ftp-worker/src/audit/transfer-event.builder';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { TransferEventShipper } from '../../apps/ftp-worker/src/audit/transfer-event-shipper';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { TransferEventSpool } from '../../apps/ftp-worker/src/audit/transfer-event-spool';

/** A TCP forwarder that can be switched off (closed port) and on again. */
class SwitchableProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 20000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('audit pipeline: spool -> queue -> api -> transfer_logs', () => {
  let api: ApiTestApp;
  let spoolDir: string;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    api = await createApiTestApp();
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    spoolDir = await mkdtemp(path.join(os.tmpdir(), 'wharf-audit-e2e-'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await rm(spoolDir, { recursive: true, force: true });
  });

  const databaseUrl = () => process.env.WHARF_TEST_DATABASE_URL!;
  const storedCount = async (ids: string[]) =>
    Number(
      (
        (await api.dataSource.query(
          `SELECT count(*) AS n FROM transfer_logs WHERE id = ANY($1::uuid[])`,
          [ids],
        )) as { n: string }[]
      )[0]!.n,
    );

  async function worker(options = queueOptions(api.config, databaseUrl())) {
    const spool = new TransferEventSpool({ dir: spoolDir });
    await spool.open();
    const shipper = new TransferEventShipper(spool, new QueueBatchPublisher(options, 1000), {
      maxBatch: 50,
      minBackoffMs: 50,
      maxBackoffMs: 300,
    });
    shipper.start();
    const stop = async () => {
      await shipper.stop();
      await spool.close();
    };
    cleanups.push(stop);
    return { spool, shipper, stop };
  }

  it('stores N appended events exactly once', async () => {
    const { spool, shipper } = await worker();
    const events = Array.from({ length: 230 }, (_v, i) =>
      transferEvent({ bytes: i, username: 'pipeline-n' }),
    );
    await Promise.all(events.map((e) => spool.append(e)));
    await shipper.waitUntilShipped(20000);
    const ids = events.map((e) => e.id);
    await waitFor(
      () => storedCount(ids),
      (n) => n === events.length,
    );
    const rows = (await api.dataSource.query(
      `SELECT id, bytes FROM transfer_logs WHERE username = 'pipeline-n' ORDER BY bytes`,
    )) as { id: string; bytes: string }[];
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.map((r) => Number(r.bytes))).toEqual(events.map((e) => e.bytes));
  });

  it('stores a re-shipped batch once (duplicate job id, and duplicate events under a new job)', async () => {
    const queue = new Queue(QueueName.TransferEvents, queueOptions(api.config, databaseUrl()));
    cleanups.push(() => queue.close());
    const events = Array.from({ length: 5 }, () => transferEvent({ username: 'pipeline-dup' }));
    const batch = { events };
    const opts = { ...TRANSFER_EVENTS_JOB_OPTIONS, jobId: transferEventsJobId(batch) };
    await queue.add(TransferEventsJobName.Batch, batch, opts);
    await queue.add(TransferEventsJobName.Batch, batch, opts);
    // A re-send after the first job was removed: a different job with the same events.
    await queue.add(TransferEventsJobName.Batch, batch, { ...opts, jobId: `${opts.jobId}_again` });
    const ids = events.map((e) => e.id);
    await waitFor(
      () => queue.getJobCounts('completed', 'waiting', 'active'),
      (c) => c.completed >= 2 && c.waiting === 0 && c.active === 0,
    );
    expect(await storedCount(ids)).toBe(5);
  });

  it('keeps events in the spool while the queue is unreachable and drains them afterwards', async () => {
    const proxyPort = await findFreePort();
    let options;
    let proxy: SwitchableProxy;
    if (api.config.queue.backend === 'redis') {
      const target = new URL(api.config.queue.url);
      proxy = new SwitchableProxy(proxyPort, {
        host: target.hostname,
        port: Number(target.port || 6379),
      });
      const viaProxy = loadConfig({
        DATABASE_URL: databaseUrl(),
        REDIS_URL: `redis://127.0.0.1:${proxyPort}`,
        WHARF_QUEUE_PREFIX: api.config.queue.prefix,
      });
      options = queueOptions(viaProxy, databaseUrl());
    } else {
      const target = new URL(databaseUrl());
      proxy = new SwitchableProxy(proxyPort, {
        host: target.hostname,
        port: Number(target.port || 5432),
      });
      const viaProxy = new URL(databaseUrl());
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxyPort);
      options = queueOptions(api.config, viaProxy.toString());
    }
    cleanups.push(() => proxy.down());

    const { spool, shipper, stop } = await worker(options);
    const events = Array.from({ length: 40 }, () => transferEvent({ username: 'pipeline-down' }));
    for (const e of events) await spool.append(e);
    await new Promise((r) => setTimeout(r, 1500));
    expect(shipper.backlogged).toBe(true);
    expect(spool.hasUnshipped()).toBe(true);
    const ids = events.map((e) => e.id);
    expect(await storedCount(ids)).toBe(0);

    // A crash while the queue is down: a new worker finds the events in the spool.
    await stop();
    await proxy.up();
    const restarted = await worker(options);
    await restarted.shipper.waitUntilShipped(20000);
    await waitFor(
      () => storedCount(ids),
      (n) => n === events.length,
    );
  });
});
