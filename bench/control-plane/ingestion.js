'use strict';
// Transfer-event ingestion: batches pushed into the `transfer-events` queue
// exactly as the worker's QueueBatchPublisher does (job name `batch`, job id
// from transferEventsJobId, its job options), consumed by the running api's
// TransferEventsProcessor, counted as rows in transfer_logs.
const { randomBytes, randomUUID } = require('node:crypto');

const { database, dist, log, percentile, scenario } = require('./harness');

const OPERATIONS = [
  ['download', 35],
  ['upload', 25],
  ['login', 15],
  ['logout', 12],
  ['delete', 4],
  ['login-failed', 3],
  ['rename', 2],
  ['mkdir', 2],
  ['mfmt', 1],
  ['rmdir', 0.5],
  ['chmod', 0.5],
];
const OPERATION_TABLE = OPERATIONS.flatMap(([op, weight]) => Array(weight * 2).fill(op));

function makeEvent(ms, n, ids) {
  const operation = OPERATION_TABLE[n % OPERATION_TABLE.length];
  const transfer = operation === 'upload' || operation === 'download';
  const user = n % 97;
  return {
    id: dist('libs/contracts/src/index.js').uuidv7(ms),
    occurredAt: new Date(ms).toISOString(),
    workerId: ids.workerId,
    serverId: ids.serverId,
    sessionId: `s${Math.floor(n / 20)}`,
    userId: ids.users[user],
    username: `user${user}`,
    clientIp: `10.1.${user}.${n % 250}`,
    clientPort: 40000 + (n % 20000),
    tlsVersion: n % 3 === 0 ? null : 'TLSv1.3',
    operation,
    command: transfer ? (operation === 'upload' ? 'STOR' : 'RETR') : 'PASS',
    path: transfer ? `/data/dir${n % 20}/file${n}.bin` : null,
    targetPath: null,
    bytes: transfer ? 1000 + (n % 5_000_000) : 0,
    durationMs: transfer ? n % 4000 : 0,
    outcome: operation === 'login-failed' ? 'failed' : n % 50 === 0 ? 'aborted' : 'ok',
    reason: operation === 'login-failed' ? 'bad password' : null,
    sha256: operation === 'upload' ? randomBytes(32).toString('hex') : null,
  };
}

class Producer {
  constructor(env) {
    const { Queue } = require('bullmq');
    const contracts = dist('libs/contracts/src/index.js');
    const { TRANSFER_EVENTS_JOB_OPTIONS } = dist(
      'apps/ftp-worker/src/audit/queue-batch-publisher.js',
    );
    this.contracts = contracts;
    this.jobOptions = TRANSFER_EVENTS_JOB_OPTIONS;
    const config = { queue: { backend: 'redis', url: env.redisUrl, prefix: env.prefix } };
    this.queue = new Queue(
      contracts.QueueName.TransferEvents,
      database().queueOptions(config, env.db.url),
    );
    this.queue.on('error', (error) => log(`producer queue error: ${error.message}`));
    this.ids = {
      workerId: 'bench-worker-1',
      serverId: randomUUID(),
      users: Array.from({ length: 97 }, () => randomUUID()),
    };
    this.n = 0;
  }

  batch(size, ms = Date.now()) {
    const events = [];
    for (let i = 0; i < size; i++) events.push(makeEvent(ms, this.n++, this.ids));
    return { events };
  }

  publish(batch) {
    return this.queue.add(this.contracts.TransferEventsJobName.Batch, batch, {
      ...this.jobOptions,
      jobId: this.contracts.transferEventsJobId(batch),
    });
  }

  close() {
    return this.queue.close();
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Throughput: `events` events in batches of `batchSize`, published by
 * `publishers` concurrent publishers as fast as the queue takes them (batches
 * are built before the clock starts); the clock stops when the last row is
 * visible in transfer_logs.
 */
async function throughputRun(env, pg, producer, { events, batchSize, publishers }) {
  // Every event of this run is stamped at or after `since`, every earlier one before it.
  const since = new Date();
  const batches = [];
  for (let made = 0; made < events; made += batchSize) {
    batches.push(producer.batch(Math.min(batchSize, events - made)));
  }
  const started = process.hrtime.bigint();
  let next = 0;
  let published;
  const publishing = Promise.all(
    Array.from({ length: publishers }, async () => {
      while (next < batches.length) await producer.publish(batches[next++]);
    }),
  ).then(() => {
    published = Number(process.hrtime.bigint() - started) / 1e6;
  });
  const deadline = Date.now() + 600_000;
  for (;;) {
    await sleep(100);
    const { rows } = await pg.query(
      `SELECT count(*) AS n FROM "transfer_logs" WHERE "occurred_at" >= $1`,
      [since],
    );
    const landed = Number(rows[0].n);
    if (landed >= events) break;
    if (Date.now() > deadline)
      throw new Error(`only ${landed} of ${events} events landed in 10 minutes`);
  }
  await publishing;
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { eventsPerSecond: (events / elapsedMs) * 1000, elapsedMs, publishedMs: published };
}

/**
 * Lag at a steady offered load: one batch every batchSize/rate seconds for
 * `seconds`; each batch's events carry the time it was published; a poller
 * notes when the batch's first event becomes visible.
 */
async function lagRun(env, pg, producer, { rate, seconds, batchSize }) {
  const interval = (batchSize / rate) * 1000;
  const pending = new Map();
  const lags = [];
  let publishing = true;
  const poller = (async () => {
    while (publishing || pending.size > 0) {
      await sleep(20);
      if (pending.size === 0) continue;
      const ids = [...pending.keys()];
      const seen = await pg.query(`SELECT "id" FROM "transfer_logs" WHERE "id" = ANY($1::uuid[])`, [
        ids,
      ]);
      const now = Date.now();
      for (const { id } of seen.rows) {
        lags.push(now - pending.get(id));
        pending.delete(id);
      }
    }
  })();
  const started = Date.now();
  const count = Math.round((seconds * 1000) / interval);
  const inFlight = [];
  for (let i = 0; i < count; i++) {
    const due = started + i * interval;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const ms = Date.now();
    const batch = producer.batch(batchSize, ms);
    pending.set(batch.events[0].id, ms);
    inFlight.push(producer.publish(batch));
  }
  await Promise.all(inFlight);
  const offeredSeconds = (Date.now() - started) / 1000;
  publishing = false;
  await poller;
  return { lags, achievedRate: (count * batchSize) / offeredSeconds };
}

async function runIngestion(env, options) {
  const { Client } = require('pg');
  const pg = new Client({ connectionString: env.db.url });
  await pg.connect();
  const producer = new Producer(env);
  const batchSize = options.batchSize;
  const publishers = 4;
  try {
    log(`ingestion: warm-up (${batchSize * 20} events)`);
    await throughputRun(env, pg, producer, { events: batchSize * 20, batchSize, publishers });
    const rates = [];
    for (let run = 0; run < options.ingestRuns; run++) {
      const result = await throughputRun(env, pg, producer, {
        events: options.ingestEvents,
        batchSize,
        publishers,
      });
      log(
        `ingestion run ${run + 1}: ${Math.round(result.eventsPerSecond)} events/s ` +
          `(published in ${Math.round(result.publishedMs)} ms, landed in ${Math.round(result.elapsedMs)} ms)`,
      );
      rates.push(Math.round(result.eventsPerSecond));
    }
    const sustained = percentile(rates, 50);
    const rate = Math.min(options.lagRate, Math.floor(sustained * 0.8));
    log(`ingestion: lag at ${rate} events/s for ${options.lagSeconds} s`);
    const lag = await lagRun(env, pg, producer, { rate, seconds: options.lagSeconds, batchSize });
    const total = Number((await pg.query(`SELECT count(*) AS n FROM "transfer_logs"`)).rows[0].n);
    return [
      scenario(
        'ingestion: sustained events/s (queue -> transfer_logs)',
        'events/s',
        rates,
        `${options.ingestRuns} runs of ${options.ingestEvents} events, batches of ${batchSize}, ${publishers} concurrent publishers; clock from first publish to last row visible`,
      ),
      scenario(
        `ingestion: lag at ${rate} events/s offered (publish -> row visible)`,
        'ms',
        lag.lags,
        `${options.lagSeconds} s at ${Math.round(lag.achievedRate)} events/s achieved, one batch of ${batchSize} every ${Math.round((batchSize / rate) * 1000)} ms; visibility polled every 20 ms; ${total} rows stored in all`,
      ),
    ];
  } finally {
    await producer.close();
    await pg.end();
  }
}

module.exports = { runIngestion };
