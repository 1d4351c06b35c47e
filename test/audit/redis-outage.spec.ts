/*
 * The audit pipeline across outages, end to end (issue 4 §8): a private
 * redis-server (test/support/private-redis.ts, persistent like production's)
 * is killed while FTP clients
 * work against a real worker process, then started again on the same port;
 * afterwards every event the worker spooled is in `transfer_logs` exactly
 * once. A second scenario takes the consumer away instead (the api stopped)
 * and brings a new api up on the same queues.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';

import type { TransferEventRecord } from '@wharf/contracts';
import { QueueName } from '@wharf/contracts';
import { createDataSource, findFreePort, queueOptions } from '@wharf/database';
import { Client, FTPError } from 'basic-ftp';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';

// The e2e suite composes the api in this process on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type ApiTestApp, createApiTestApp } from '../../apps/api/src/testing/api-test-app';
import { download } from '../support/ftp-client';
import { eventually, waitForFtpListener } from '../support/in-process-worker';
import { type PrivateRedis, REDIS_SERVER, startPrivateRedis } from '../support/private-redis';
import { describeWithTool } from '../support/require-tool';
import { createPinnedServer } from '../support/rest-fixtures';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

jest.setTimeout(300_000);

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** What the test did, as the row it expects: operation, path, bytes, outcome, sha256. */
type Expected = Pick<TransferEventRecord, 'operation' | 'path' | 'bytes' | 'outcome' | 'sha256'>;

interface StoredRow {
  id: string;
  operation: string;
  path: string | null;
  bytes: string;
  outcome: string;
  sha256: string | null;
  copies: string;
}

/** Every event in a worker's spool (all segments under `<dataDir>/spool`). */
async function spooledEvents(dataDir: string): Promise<TransferEventRecord[]> {
  const root = path.join(dataDir, 'spool');
  const events: TransferEventRecord[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue;
    const text = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
    for (const line of text.split('\n')) if (line.trim()) events.push(JSON.parse(line));
  }
  return events;
}

/** The multiset of `items`, as sorted JSON strings, for order-free comparison. */
const bag = (items: Expected[]) =>
  items.map((e) => JSON.stringify([e.operation, e.path, e.bytes, e.outcome, e.sha256])).sort();

describeWithTool(REDIS_SERVER, 'audit events across a Redis outage and an api outage', (tool) => {
  let redis: PrivateRedis;
  let redisDown = false;
  let api: ApiTestApp;
  let apiRunning = false;
  let token: string;
  /** Our own connection: the api (and its data source) is stopped in one scenario. */
  let db: DataSource;
  let worker: WorkerProcess;
  let dataDir: string;
  let storageRoot: string;
  let port: number;
  const suffix = randomBytes(3).toString('hex');
  const workerId = `e2e-ro-${suffix}`;
  const password = 'correct horse battery staple';
  const databaseUrl = () => process.env.WHARF_TEST_DATABASE_URL!;

  const startApi = (prefix?: string) =>
    createApiTestApp({
      env: { REDIS_URL: redis.url, ...(prefix ? { WHARF_QUEUE_PREFIX: prefix } : {}) },
    });

  async function connect(user: string): Promise<Client> {
    const client = new Client(20_000);
    await client.access({ host: '127.0.0.1', port, user, password });
    return client;
  }

  /** One session: login, upload, download, delete, logout; returns the rows it must leave. */
  async function session(user: string, name: string, size: number): Promise<Expected[]> {
    const data = randomBytes(size);
    const client = await connect(user);
    try {
      await client.uploadFrom(Readable.from([data]), name);
      expect(sha256(await download(client, name))).toBe(sha256(data));
      await client.remove(name);
    } finally {
      client.close();
    }
    const file = `/${name}`;
    return [
      { operation: 'login', path: null, bytes: 0, outcome: 'ok', sha256: null },
      { operation: 'upload', path: file, bytes: size, outcome: 'ok', sha256: sha256(data) },
      { operation: 'download', path: file, bytes: size, outcome: 'ok', sha256: null },
      { operation: 'delete', path: file, bytes: size, outcome: 'ok', sha256: null },
      { operation: 'logout', path: null, bytes: 0, outcome: 'ok', sha256: null },
    ];
  }

  async function failedLogin(user: string): Promise<Expected[]> {
    const client = new Client(20_000);
    try {
      const error = await client
        .access({ host: '127.0.0.1', port, user, password: 'wrong password' })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(FTPError);
      expect((error as FTPError).code).toBe(530);
    } finally {
      client.close();
    }
    return [{ operation: 'login-failed', path: null, bytes: 0, outcome: 'failed', sha256: null }];
  }

  async function createUser(username: string): Promise<void> {
    const res = await api.request('POST', '/api/v1/ftp-users', {
      token,
      body: { username, password },
    });
    if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** The user's rows in transfer_logs, one per event id, with how many rows carry that id. */
  async function storedRows(username: string): Promise<StoredRow[]> {
    return (await db.query(
      `SELECT id, min(operation) AS operation, min(path) AS path, min(bytes) AS bytes,
              min(outcome) AS outcome, min(sha256) AS sha256, count(*) AS copies
         FROM transfer_logs WHERE worker_id = $1 AND username = $2 GROUP BY id`,
      [workerId, username],
    )) as StoredRow[];
  }

  /**
   * Waits until the worker has spooled every expected event of `username`
   * and every one of them is stored; then checks: one row per event id, the
   * stored ids are exactly the spooled ones, and they say what the test did.
   */
  async function expectStoredExactlyOnce(username: string, expected: Expected[]): Promise<void> {
    const spooled = await eventually(
      async () => {
        const mine = (await spooledEvents(dataDir)).filter((e) => e.username === username);
        return mine.length >= expected.length ? mine : undefined;
      },
      30_000,
      `${expected.length} spooled events of ${username}`,
    );
    const rows = await eventually(
      async () => {
        const stored = await storedRows(username);
        const ids = new Set(stored.map((r) => r.id));
        return spooled.every((e) => ids.has(e.id)) ? stored : undefined;
      },
      // The shipper backs off up to 30 s between attempts while Redis is away.
      120_000,
      `the spooled events of ${username} in transfer_logs`,
    );
    expect(rows.filter((r) => Number(r.copies) !== 1)).toEqual([]);
    expect(rows.map((r) => r.id).sort()).toEqual(spooled.map((e) => e.id).sort());
    expect(
      bag(
        rows.map((r) => ({
          operation: r.operation as Expected['operation'],
          path: r.path,
          bytes: Number(r.bytes),
          outcome: r.outcome as Expected['outcome'],
          sha256: r.sha256,
        })),
      ),
    ).toEqual(bag(expected));
  }

  beforeAll(async () => {
    // Persistent like production's Redis: a job the queue accepted survives the restart.
    redis = await startPrivateRedis(tool.executable, { persist: true });
    api = await startApi();
    apiRunning = true;
    token = api.tokens.admin;
    db = await createDataSource(databaseUrl(), { poolSize: 2 }).initialize();
    storageRoot = await mkdtemp(path.join(os.tmpdir(), 'wharf-e2e-outage-'));
    dataDir = await mkdtemp(path.join(os.tmpdir(), `wharf-${workerId}-`));
    port = await findFreePort();
    await createPinnedServer(api, token, {
      name: `e2e-ro-${suffix}`,
      port,
      passive: 43_000 + Math.floor(Math.random() * 60) * 100,
      workerId,
    });
    worker = startWorkerProcess({
      id: workerId,
      dataDir,
      databaseUrl: databaseUrl(),
      redisUrl: redis.url,
      queuePrefix: api.config.queue.prefix,
      storageRoot,
    });
    try {
      await waitForFtpListener(port, 60_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}; the worker said:\n${worker.output()}`);
    }
  });

  afterAll(async () => {
    if (redisDown) await redis.restart();
    await worker?.stop();
    if (apiRunning) await api.close();
    if (db?.isInitialized) await db.destroy();
    await redis?.destroy();
    for (const d of [dataDir, storageRoot]) if (d) await rm(d, { recursive: true, force: true });
  });

  it('stores every event exactly once when Redis dies mid-transfer and comes back', async () => {
    const username = `ro-${suffix}`;
    await createUser(username);
    const expected: Expected[] = [];
    expected.push(...(await session(username, 'before.bin', 200_000)));

    // An upload in flight when Redis dies; it completes while Redis is away.
    const slow = await connect(username);
    const body = new PassThrough();
    const big = randomBytes(4 * 1024 * 1024);
    const uploading = slow.uploadFrom(body, 'during.bin');
    const chunk = 64 * 1024;
    for (let offset = 0; offset < big.length / 4; offset += chunk) {
      body.write(big.subarray(offset, offset + chunk));
      await new Promise((r) => setTimeout(r, 10));
    }
    // Nothing in this process (the api) may print raw BullMQ errors while Redis is gone.
    const consoleErrors = jest.spyOn(console, 'error');
    redisDown = true;
    await redis.kill();
    for (let offset = big.length / 4; offset < big.length; offset += chunk) {
      body.write(big.subarray(offset, offset + chunk));
    }
    body.end();
    await uploading;
    slow.close();
    expected.push(
      { operation: 'login', path: null, bytes: 0, outcome: 'ok', sha256: null },
      {
        operation: 'upload',
        path: '/during.bin',
        bytes: big.length,
        outcome: 'ok',
        sha256: sha256(big),
      },
      { operation: 'logout', path: null, bytes: 0, outcome: 'ok', sha256: null },
    );

    // FTP keeps working with Redis gone; the events wait in the spool.
    for (let i = 0; i < 4; i++) {
      expected.push(...(await session(username, `down-${i}.bin`, 10_000 + i * 7_777)));
      expected.push(...(await failedLogin(username)));
    }
    const [stored] = (await db.query(
      `SELECT count(*) AS n FROM transfer_logs WHERE username = $1 AND path LIKE '/down-%'`,
      [username],
    )) as { n: string }[];
    expect(Number(stored!.n)).toBe(0);

    await redis.restart();
    redisDown = false;
    expect(consoleErrors.mock.calls).toEqual([]);
    consoleErrors.mockRestore();
    await expectStoredExactlyOnce(username, expected);
  });

  it('keeps events in the queue while no api consumes them and stores them once a new api runs', async () => {
    const username = `na-${suffix}`;
    await createUser(username);
    const prefix = api.config.queue.prefix;
    apiRunning = false;
    await api.close();
    const events = new Queue(QueueName.TransferEvents, queueOptions(api.config, databaseUrl()));
    try {
      const expected: Expected[] = [];
      for (let i = 0; i < 3; i++) {
        expected.push(...(await session(username, `noapi-${i}.bin`, 5_000 + i)));
      }
      expected.push(...(await failedLogin(username)));
      // Shipped (the queue accepted them) but not consumed.
      await eventually(
        async () => ((await events.getJobCounts('waiting')).waiting > 0 ? true : undefined),
        30_000,
        'transfer-events jobs waiting for a consumer',
      );
      const pending = (await db.query(
        `SELECT count(*) AS n FROM transfer_logs WHERE username = $1`,
        [username],
      )) as { n: string }[];
      expect(Number(pending[0]!.n)).toBe(0);

      api = await startApi(prefix);
      apiRunning = true;
      token = api.tokens.admin;
      await expectStoredExactlyOnce(username, expected);
    } finally {
      await events.close();
    }
  });
});
