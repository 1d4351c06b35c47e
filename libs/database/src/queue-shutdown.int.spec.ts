import { randomBytes } from 'node:crypto';

import {
  type ConnectionOptions,
  createPostgresBackend,
  Queue,
  setDefaultBackendFactory,
  Worker,
} from 'bullmq';

import { closeQueueWithin, RunningJobs } from './queue-shutdown';

/** A timer as Node keeps it: `_destroyed` once it fired or was cleared. */
type NodeTimer = NodeJS.Timeout & { _destroyed?: boolean };

/**
 * Records the timers BullMQ's PostgreSQL backend sets from now until
 * restore(); pending() lists those not yet fired or cleared, each of which
 * keeps the process alive until it fires.
 */
function backendTimers(): { pending: () => NodeTimer[]; restore: () => void } {
  const original = global.setTimeout;
  const made: NodeTimer[] = [];
  global.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    const timer = original(...args) as NodeTimer;
    if (new Error().stack?.includes('postgres-queue-backend')) made.push(timer);
    return timer;
  }) as typeof setTimeout;
  return {
    pending: () => made.filter((t) => !t._destroyed && t.hasRef()),
    restore: () => {
      global.setTimeout = original;
    },
  };
}

describe('RunningJobs.closeWorker on the PostgreSQL queue backend (real PostgreSQL)', () => {
  it("ends the worker's blocking wait: no timer of it is left to hold the process", async () => {
    setDefaultBackendFactory(createPostgresBackend);
    const connection = {
      connectionString: process.env.WHARF_TEST_DATABASE_URL!,
      schema: `shutdown_${randomBytes(3).toString('hex')}_queues`,
      migrate: true,
      max: 2,
    } as unknown as ConnectionOptions;
    const queue = new Queue('shutdown-spec', { connection });
    // A delayed job: the worker's wait is shortened to its due time, ten minutes away.
    await queue.add('later', {}, { delay: 600_000 });
    const timers = backendTimers();
    try {
      const worker = new Worker('shutdown-spec', () => Promise.resolve(undefined), { connection });
      const deadline = Date.now() + 10_000;
      while (timers.pending().length === 0) {
        if (Date.now() > deadline) throw new Error('the worker never started its blocking wait');
        await new Promise((r) => setImmediate(r));
      }
      expect(await new RunningJobs().closeWorker(worker, 2_000)).toBe(0);
      await closeQueueWithin(queue, 2_000);
      expect(timers.pending()).toHaveLength(0);
    } finally {
      timers.restore();
    }
  });
});
