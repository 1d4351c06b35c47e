'use strict';
// Control-plane benchmarks (docs/BENCHMARKS.md "Control plane").
//
//   node apps/launcher/start.js --build-only     # the api under test is the built dist
//   node bench/control-plane/index.js [--rows 10000000] [--scenario ingestion|queries|provisioning]
//   --keep NAME: generate into database NAME and keep it; --database NAME: reuse it (no generation).
//
// Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
// and Redis (REDIS_URL, default redis://127.0.0.1:6379). Creates and drops its own
// database wharf_bench_cp_<id>, and uses a queue prefix of its own.
const { writeFileSync } = require('node:fs');
const os = require('node:os');

const { createEnvironment, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, log } = require('./harness');
const { runIngestion } = require('./ingestion');
const { runProvisioning } = require('./provisioning');
const { runQueries } = require('./queries');

const SCENARIOS = ['provisioning', 'ingestion', 'queries'];

const DEFAULTS = {
  databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
  redisUrl: process.env.REDIS_URL || DEFAULT_REDIS_URL,
  scenarios: SCENARIOS,
  rows: 1_000_000,
  samples: 30,
  filter: undefined,
  batchSize: 2000, // the worker shipper's maxBatch
  ingestEvents: 100_000,
  ingestRuns: 5,
  lagRate: 20_000,
  lagSeconds: 15,
  provisionSingle: 30,
  provisionConcurrent: 48,
  provisionBulk: 1000,
  cpuProfDir: undefined,
};

/** `--smoke` of bench/run.js: every scenario once, in seconds rather than minutes. */
const SMOKE = {
  rows: 100_000,
  samples: 5,
  ingestEvents: 10_000,
  ingestRuns: 2,
  lagSeconds: 3,
  provisionSingle: 5,
  provisionConcurrent: 8,
  provisionBulk: 20,
};

/** Runs the selected scenarios against a fresh database and api; the agreed result shape. */
async function run(options = {}) {
  const opts = { ...DEFAULTS, ...(options.smoke ? SMOKE : {}), ...options };
  // bench/run.js passes its own list (e.g. ['control-plane']): none of ours means all of ours.
  const ours = (options.scenarios ?? []).filter((name) => SCENARIOS.includes(name));
  opts.scenarios = ours.length ? ours : SCENARIOS;
  const env = await createEnvironment(opts);
  const scenarios = [];
  try {
    for (const name of SCENARIOS) {
      if (!opts.scenarios.includes(name)) continue;
      if (name === 'provisioning') scenarios.push(...(await runProvisioning(env, opts)));
      if (name === 'ingestion') scenarios.push(...(await runIngestion(env, opts)));
      if (name === 'queries') scenarios.push(...(await runQueries(env, opts)));
    }
  } finally {
    await env.close();
    await deleteQueueKeys(opts.redisUrl, env.prefix);
  }
  return {
    machine: {
      cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}`,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    },
    options: { ...opts, databaseUrl: undefined, redisUrl: undefined },
    scenarios,
  };
}

/** The api's BullMQ keys under our prefix, and nothing else, leave the shared Redis. */
async function deleteQueueKeys(redisUrl, prefix) {
  const Redis = require('ioredis');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    log(`deleted ${deleted} Redis keys under ${prefix}:`);
  } finally {
    redis.disconnect();
  }
}

function parseArgs(argv) {
  const options = {};
  const number = (flag, value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`${flag} needs a positive integer, got ${value}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--rows':
        options.rows = number(flag, value);
        i++;
        break;
      case '--samples':
        options.samples = number(flag, value);
        i++;
        break;
      case '--events':
        options.ingestEvents = number(flag, value);
        i++;
        break;
      case '--scenario': {
        const names = String(value).split(',');
        const bad = names.filter((n) => !SCENARIOS.includes(n));
        if (bad.length) throw new Error(`--scenario must be among ${SCENARIOS.join(', ')}`);
        options.scenarios = names;
        i++;
        break;
      }
      case '--database':
        // Reuse (and keep) a database filled by an earlier queries run: no generation.
        options.database = value;
        options.reuseRows = true;
        i++;
        break;
      case '--keep':
        // Create the database under this name, fill it, and leave it for later --database runs.
        options.keepDatabase = value;
        i++;
        break;
      case '--filter':
        options.filter = value;
        i++;
        break;
      case '--cpu-prof':
        options.cpuProfDir = value;
        i++;
        break;
      case '--json':
        options.jsonOut = value;
        i++;
        break;
      default:
        throw new Error(
          `unknown argument ${flag}; usage: node bench/control-plane/index.js [--rows N] ` +
            `[--scenario ${SCENARIOS.join('|')}[,...]] [--samples N] [--events N] [--filter REGEX] ` +
            `[--cpu-prof DIR] [--json FILE] [--database NAME] [--keep NAME]`,
        );
    }
  }
  return options;
}

function printTable(results) {
  const fmt = (v) =>
    Number.isFinite(v)
      ? Math.abs(v) >= 100
        ? Math.round(v).toLocaleString('en')
        : v.toFixed(1)
      : '-';
  console.log(`machine: ${JSON.stringify(results.machine)}`);
  console.log('| Scenario | Unit | n | p50 | p95 | min | max |');
  console.log('| --- | --- | --: | --: | --: | --: | --: |');
  for (const s of results.scenarios) {
    console.log(
      `| ${s.name} | ${s.unit} | ${s.samples.length} | ${fmt(s.median)} | ${fmt(s.p95)} | ${fmt(s.min)} | ${fmt(s.max)} |`,
    );
  }
  console.log('\nnotes:');
  for (const s of results.scenarios) if (s.notes) console.log(`- ${s.name}: ${s.notes}`);
}

if (require.main === module) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
  run(options).then(
    (results) => {
      printTable(results);
      if (options.jsonOut) writeFileSync(options.jsonOut, JSON.stringify(results, null, 2));
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

module.exports = { run };
