/*
 * A worker whose Redis vanished must still stop: SIGTERM runs the same
 * application shutdown as close(). Before the bounded close (RunningJobs in
 * @wharf/database), BullMQ's graceful Worker.close() of the nudges and
 * maintenance consumers waited forever for a connection that never came back.
 * The suite kills a redis-server of its own, never the machine's.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { Redis } from 'ioredis';

import { eventually, type InProcessWorker, startInProcessWorker } from '../support/in-process-worker';
import { type PrivateRedis, REDIS_SERVER, startPrivateRedis } from '../support/private-redis';
import { describeWithTool } from '../support/require-tool';

/** Generous: the drains are bounded at a few seconds each. Not a speed assertion. */
const SHUTDOWN_BOUND_MS = 45_000;

jest.setTimeout(90_000);

describeWithTool(REDIS_SERVER, 'ftp-worker shutdown with its Redis gone', (tool) => {
  let redis: PrivateRedis;
  let storageRoot: string;
  let worker: InProcessWorker | undefined;

  beforeAll(async () => {
    redis = await startPrivateRedis(tool.executable);
    storageRoot = await mkdtemp(path.join(os.tmpdir(), 'wharf-shutdown-'));
  });

  afterAll(async () => {
    await redis.kill();
    await rm(storageRoot, { recursive: true, force: true });
  });

  it('closes within a bound after redis-server was killed', async () => {
    const databaseUrl = process.env.WHARF_TEST_DATABASE_URL!;
    const suffix = randomBytes(3).toString('hex');
    worker = await startInProcessWorker({
      id: `e2e-shutdown-${suffix}`,
      databaseUrl,
      queuePrefix: `wharf-shutdown-${suffix}`,
      storageRoot,
      redisUrl: redis.url,
    });
    // The nudges and maintenance consumers hold blocking connections once
    // they run: wait for them, so the kill below hits live connections.
    const probe = new Redis(redis.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    await probe.connect();
    await eventually(
      async () => {
        const clients = String(await probe.client('LIST'));
        const blocked = clients.split('\n').filter((line) => /cmd=(bzpopmin|blmove|brpoplpush)/.test(line));
        return blocked.length >= 2 ? true : undefined;
      },
      15_000,
      'the worker\'s two BullMQ consumers to block on Redis',
    );
    probe.disconnect();

    await redis.kill();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'hung'>((resolve) => {
      timer = setTimeout(() => resolve('hung'), SHUTDOWN_BOUND_MS);
    });
    const outcome = await Promise.race([worker.close().then(() => 'closed' as const), bound]);
    clearTimeout(timer);
    worker = undefined;
    expect(outcome).toBe('closed');
  });
});
