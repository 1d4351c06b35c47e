import type { Queue, Worker } from 'bullmq';

/**
 * Bounded shutdown of BullMQ Workers and Queues, for every process of Wharf
 * (api and ftp-worker) that consumes or produces jobs.
 *
 * BullMQ 6's graceful `Worker.close()` first tears down the blocking
 * connection, which waits for that connection to have come up: with the queue
 * backend unreachable it never resolves, and since close() is memoized a later
 * close hangs as well. `Queue.close()` waits for its connection in the same
 * way. So shutdown drains by itself: stop taking jobs, wait (bounded) for the
 * running ones, then close with force, which only drops connections, and
 * disconnect, which also ends a blocking wait the force left behind. A job
 * still running at the deadline stays active in the backend and is redelivered
 * after its lock expires; every Wharf job is idempotent, so that is safe.
 */
export class RunningJobs {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  /** Runs `work` as one job of the worker: shutdown waits for it (bounded). */
  async track<T>(work: Promise<T>): Promise<T> {
    const tracked = work.catch(() => undefined);
    this.running.add(tracked);
    try {
      return await work;
    } finally {
      this.running.delete(tracked);
    }
  }

  /**
   * Stops `worker` taking jobs, waits at most `drainMs` for the tracked ones,
   * then closes it with force. Resolves with the number of jobs cut off at
   * the deadline (0 = all finished).
   */
  async closeWorker(worker: Worker, drainMs: number): Promise<number> {
    await worker.pause(true);
    let cutOff = 0;
    if (this.running.size > 0) {
      const outcome = await raceDeadline(Promise.all(this.running), drainMs);
      if (outcome === TIMED_OUT) cutOff = this.running.size;
    }
    await worker.close(true);
    // A forced close leaves the PostgreSQL backend's blocking wait to its own
    // timer, which runs to the next delayed job's due time (minutes) and holds
    // the process until then; disconnect() ends the wait. Bounded: with Redis
    // unreachable it would wait for a connection like the rest.
    await raceDeadline(
      worker.disconnect().catch(() => undefined),
      drainMs,
    );
    return cutOff;
  }
}

/**
 * Closes a Queue, giving up after `timeoutMs` (backend unreachable) and then
 * dropping its connections. Never rejects: at shutdown there is nothing left
 * to do about a queue that does not answer.
 */
export async function closeQueueWithin(queue: Queue, timeoutMs: number): Promise<void> {
  const outcome = await raceDeadline(
    queue.close().catch(() => undefined),
    timeoutMs,
  );
  if (outcome === TIMED_OUT) await queue.disconnect().catch(() => undefined);
}

const TIMED_OUT = Symbol('timed out');

/** `work`'s value, or TIMED_OUT when it does not settle within `ms`. */
async function raceDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
