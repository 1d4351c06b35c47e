'use strict';
// Shared plumbing of the control-plane benchmarks: a database of their own,
// migrated with the real migrations; the real api (built dist) as a child
// process on a queue prefix of its own; an admin token; sample statistics.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist', 'node');
const API_MAIN = path.join(DIST, 'apps', 'api', 'src', 'main.js');

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A module of the built Node side (`node apps/launcher/start.js --build-only`). */
function dist(relative) {
  const file = path.join(DIST, relative);
  if (!existsSync(API_MAIN)) {
    throw new Error('dist/node is missing: run `node apps/launcher/start.js --build-only` first');
  }
  return require(file);
}

const database = () => dist('libs/database/src/index.js');

function log(message) {
  process.stderr.write(
    `[bench:control-plane ${new Date().toISOString().slice(11, 19)}] ${message}\n`,
  );
}

/** Nearest-rank percentile of an unsorted sample. */
function percentile(samples, p) {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** The agreed result shape (bench/run.js), plus p95. */
function scenario(name, unit, samples, notes = '') {
  return {
    name,
    unit,
    samples,
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    min: samples.length ? Math.min(...samples) : NaN,
    max: samples.length ? Math.max(...samples) : NaN,
    notes,
  };
}

async function pgQuery(url, sql, params) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/**
 * `wharf_bench_cp_<id>` on the server of baseUrl, migrated; dropped at the end
 * unless `keepName` names it (`--keep NAME`: generate once, reuse with `--database NAME`).
 */
async function createBenchDatabase(baseUrl, keepName) {
  const name =
    keepName ?? `wharf_bench_cp_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const maintenance = new URL(baseUrl);
  maintenance.pathname = '/postgres';
  await pgQuery(maintenance.toString(), `CREATE DATABASE "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const ds = database().createDataSource(url.toString());
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  log(`database ${name} created and migrated${keepName ? ' (kept afterwards)' : ''}`);
  return {
    name,
    url: url.toString(),
    drop: async () => {
      if (keepName) return;
      await pgQuery(maintenance.toString(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      log(`database ${name} dropped`);
    },
  };
}

/** `--database NAME`: a database an earlier run filled and kept; migrated, never dropped. */
async function existingDatabase(baseUrl, name) {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const ds = database().createDataSource(url.toString());
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  log(`database ${name} reused (kept afterwards)`);
  return { name, url: url.toString(), drop: async () => undefined };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The built api as a child process. `cpuProfDir` adds `--cpu-prof` (a
 * .cpuprofile is written there on exit; open it in Chrome DevTools or
 * speedscope for a flame graph).
 */
async function startApi({ databaseUrl, redisUrl, prefix, cpuProfDir }) {
  dist('apps/api/src/app.factory.js');
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-cp-'));
  const args = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, API_MAIN] : [API_MAIN];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      WHARF_QUEUE_PREFIX: prefix,
      WHARF_API_HOST: '127.0.0.1',
      WHARF_API_PORT: String(port),
      WHARF_DATA_DIR: dataDir,
      WHARF_JWT_SECRET: randomBytes(32).toString('hex'),
      WHARF_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r(undefined), 250)),
    ]);
    if (early) throw new Error(`api exited during start (${JSON.stringify(early)})`);
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('api did not become ready within 60 s');
    }
  }
  log(`api pid ${child.pid} on ${baseUrl} (queue prefix ${prefix})`);
  return {
    baseUrl,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A superadmin written straight into the database, then logged in over HTTP: a JWT. */
async function adminToken(databaseUrl, baseUrl) {
  const username = `bench_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const hash = await database().hashPassword(password);
  await pgQuery(
    databaseUrl,
    `INSERT INTO "admins" ("username", "password_hash", "role", "enabled") VALUES ($1, $2, 'superadmin', true)`,
    [username, hash],
  );
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200)
    throw new Error(`admin login failed: ${response.status} ${await response.text()}`);
  return (await response.json()).accessToken;
}

/** A running api on a fresh database: what every scenario starts from. */
async function createEnvironment(options) {
  const db = options.database
    ? await existingDatabase(options.databaseUrl, options.database)
    : await createBenchDatabase(options.databaseUrl, options.keepDatabase);
  let api;
  try {
    const prefix = `wb_cp_${randomBytes(4).toString('hex')}`;
    api = await startApi({
      databaseUrl: db.url,
      redisUrl: options.redisUrl,
      prefix,
      cpuProfDir: options.cpuProfDir,
    });
    const token = await adminToken(db.url, api.baseUrl);
    return {
      db,
      api,
      prefix,
      token,
      redisUrl: options.redisUrl,
      async close() {
        await api.stop();
        await db.drop();
      },
    };
  } catch (error) {
    await api?.stop();
    await db.drop();
    throw error;
  }
}

module.exports = {
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  ROOT,
  createEnvironment,
  database,
  dist,
  log,
  percentile,
  pgQuery,
  scenario,
};
