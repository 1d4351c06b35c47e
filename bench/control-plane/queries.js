'use strict';
// The audit trail at scale: transfer_logs filled with `rows` synthetic events
// over 90 days, then every filter of the admin UI's transfer list, the
// dashboard's stats ranges and the CSV export timed over HTTP.
const { createHash } = require('node:crypto');

const { database, log, pgQuery, scenario } = require('./harness');

const DAY_MS = 86_400_000;
const SPAN_DAYS = 90;
const USERS = 5000;
const CHUNK_ROWS = 500_000;

/** md5(text)::uuid, as the generator computes ids in SQL. */
const md5Uuid = (text) => {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const userId = (u) => md5Uuid(`user${u}`);
const serverId = (s) => md5Uuid(`server${s}`);

/**
 * One INSERT ... SELECT per chunk of rows. Row i happens at
 * start + (i + jitter) * step, so time order follows insertion order as in a
 * real log. User u = floor(exp(random * ln USERS)) - 1: a log-uniform
 * (Zipf-like) choice where user0 makes 8 % of the events, the first ten users
 * 40 %, and user4000 about 30 per million. Each user has three client
 * addresses in 10.0.0.0/8; failed logins come half from known users and half
 * from 198.51.100.0/24 and 203.0.113.0/24 guessing admin/root/test/...
 */
const GENERATE_SQL = `
INSERT INTO "transfer_logs" ("id", "occurred_at", "worker_id", "server_id", "session_id", "user_id",
  "username", "client_ip", "client_port", "tls_version", "operation", "command", "path", "target_path",
  "bytes", "duration_ms", "outcome", "reason", "sha256")
SELECT (lpad(to_hex(floor(extract(epoch FROM t) * 1000)::bigint), 12, '0') || substr(md5(i::text), 1, 20))::uuid,
       t,
       'worker-' || (1 + i % 4),
       md5('server' || (u % 3))::uuid,
       's' || u || '-' || floor(extract(epoch FROM t) / 3600)::bigint,
       CASE WHEN op = 'login-failed' AND r_ip < 0.5 THEN NULL ELSE md5('user' || u)::uuid END,
       CASE WHEN op = 'login-failed' AND r_ip < 0.5
            THEN (ARRAY['admin', 'root', 'test', 'ftp', 'guest'])[1 + floor(r_b * 5)::int]
            ELSE 'user' || u END,
       CASE WHEN op = 'login-failed' AND r_ip < 0.5
            THEN ((CASE WHEN r_ip < 0.25 THEN '198.51.100.' ELSE '203.0.113.' END) || (1 + floor(r_b * 250)::int))::inet
            ELSE ('10.' || (u % 200) || '.' || (u / 200 % 250) || '.' || (1 + floor(r_ip * 3)::int))::inet END,
       1024 + floor(r_b * 60000)::int,
       CASE WHEN r_ip < 0.7 THEN 'TLSv1.3' END,
       op,
       CASE op WHEN 'download' THEN 'RETR' WHEN 'upload' THEN 'STOR' WHEN 'login' THEN 'PASS'
               WHEN 'login-failed' THEN 'PASS' WHEN 'logout' THEN 'QUIT' WHEN 'delete' THEN 'DELE'
               WHEN 'rename' THEN 'RNTO' WHEN 'mkdir' THEN 'MKD' WHEN 'rmdir' THEN 'RMD'
               WHEN 'mfmt' THEN 'MFMT' ELSE 'SITE' END,
       CASE WHEN op IN ('login', 'login-failed', 'logout') THEN NULL
            ELSE '/dir' || floor(r_b * 30)::int || '/file' || (i % 10000) || '.dat' END,
       CASE WHEN op = 'rename' THEN '/dir' || floor(r_b * 30)::int || '/renamed' || (i % 10000) || '.dat' END,
       CASE WHEN op IN ('upload', 'download') THEN floor(exp(r_b * 21))::bigint ELSE 0 END,
       CASE WHEN op IN ('upload', 'download') THEN 5 + floor(exp(r_b * 21) / 50000)::int ELSE floor(r_b * 20)::int END,
       CASE WHEN op = 'login-failed' THEN 'failed' WHEN r_out < 0.95 THEN 'ok' WHEN r_out < 0.99 THEN 'failed' ELSE 'aborted' END,
       CASE WHEN op = 'login-failed' THEN 'bad password' WHEN r_out < 0.95 THEN NULL
            WHEN r_out < 0.99 THEN 'permission denied' ELSE 'ABOR' END,
       CASE WHEN op = 'upload' THEN md5(i::text) || md5((i + 1)::text) END
  FROM (
    SELECT i, u, r_ip, r_out, r_b, t,
           CASE WHEN r_op < 0.35 THEN 'download' WHEN r_op < 0.60 THEN 'upload'
                WHEN r_op < 0.75 THEN 'login' WHEN r_op < 0.87 THEN 'logout'
                WHEN r_op < 0.91 THEN 'delete' WHEN r_op < 0.94 THEN 'login-failed'
                WHEN r_op < 0.96 THEN 'rename' WHEN r_op < 0.98 THEN 'mkdir'
                WHEN r_op < 0.99 THEN 'mfmt' WHEN r_op < 0.995 THEN 'rmdir' ELSE 'chmod' END AS op
      FROM (
        SELECT i,
               floor(exp(random() * ln(${USERS})))::int - 1 AS u,
               random() AS r_op, random() AS r_ip, random() AS r_out, random() AS r_b,
               $1::timestamptz + ((i + random()) * $2::float8) * interval '1 millisecond' AS t
          FROM generate_series($3::bigint, $4::bigint) i) raw) s`;

async function generate(url, rows) {
  const now = Date.now();
  const start = new Date(now - SPAN_DAYS * DAY_MS);
  const ds = database().createDataSource(url);
  await ds.initialize();
  try {
    // Monthly partitions for the whole range (the api only creates them from now on).
    await database().ensureTransferLogPartitions(ds, 6, new Date(start.getTime() - 3 * DAY_MS));
  } finally {
    await ds.destroy();
  }
  const { Client } = require('pg');
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await pg.query(`TRUNCATE "transfer_logs"`);
    await pg.query(`SET synchronous_commit = off`);
    await pg.query(`SET maintenance_work_mem = '256MB'`);
    // Bulk load, then index: the table's own index definitions (whatever the
    // migrations made them) are dropped and rebuilt afterwards.
    const { rows: indexes } = await pg.query(
      `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = '"transfer_logs"'::regclass AND NOT i.indisprimary`,
    );
    for (const index of indexes) await pg.query(`DROP INDEX "${index.name}"`);
    const step = (SPAN_DAYS * DAY_MS) / rows;
    const began = Date.now();
    for (let lo = 0; lo < rows; lo += CHUNK_ROWS) {
      const hi = Math.min(rows, lo + CHUNK_ROWS) - 1;
      await pg.query(GENERATE_SQL, [start.toISOString(), step, lo, hi]);
      log(`generated ${hi + 1} / ${rows} rows (${Math.round((Date.now() - began) / 1000)} s)`);
    }
    for (const index of indexes) {
      // pg_get_indexdef of a partitioned index says ON ONLY, which would index no partition.
      await pg.query(index.def.replace(' ON ONLY ', ' ON '));
      log(`rebuilt ${index.name} (${Math.round((Date.now() - began) / 1000)} s)`);
    }
    await pg.query(`VACUUM (ANALYZE) "transfer_logs"`);
    // The stats roll-ups are kept by ingestion, which this bulk load bypassed.
    await pg.query('BEGIN');
    for (const statement of database().TRANSFER_STATS_ROLLUP_REBUILD) await pg.query(statement);
    await pg.query('COMMIT');
    await pg.query(
      `VACUUM (ANALYZE) "transfer_stats_hourly", "transfer_stats_daily", "failed_logins_hourly", "failed_logins_daily"`,
    );
    log(`rebuilt the stats roll-ups (${Math.round((Date.now() - began) / 1000)} s)`);
    const size = await pg.query(
      `SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS size
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = '"transfer_logs"'::regclass`,
    );
    log(
      `generated ${rows} rows in ${Math.round((Date.now() - began) / 1000)} s, ${size.rows[0].size} with indexes`,
    );
    return { seconds: (Date.now() - began) / 1000, size: size.rows[0].size };
  } finally {
    await pg.end();
  }
}

async function timed(url, token) {
  const started = process.hrtime.bigint();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${body.slice(0, 300)}`);
  return { ms, response, body };
}

/** `samples` timed requests after two untimed ones, stopping early (at >= 5) once `budgetMs` is spent. */
async function measure(baseUrl, token, name, query, { samples, budgetMs = 60_000 }) {
  const url = `${baseUrl}${query}`;
  await timed(url, token);
  const last = await timed(url, token);
  const times = [];
  const began = Date.now();
  while (times.length < samples && (times.length < 5 || Date.now() - began < budgetMs)) {
    times.push(Number((await timed(url, token)).ms.toFixed(2)));
  }
  const total = last.response.headers.get('x-total-count');
  const exact = last.response.headers.get('x-total-count-exact');
  const rows = query.startsWith('/api/v1/transfers?') ? JSON.parse(last.body).length : undefined;
  const notes = [
    `GET ${query}`,
    total !== null ? `X-Total-Count ${total}${exact === 'false' ? ' (estimate)' : ''}` : '',
    rows !== undefined ? `${rows} rows` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const result = scenario(name, 'ms', times, notes);
  log(`${name}: p50 ${result.median.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms (${notes})`);
  return result;
}

function listCases(now, deepCursor) {
  const iso = (ms) => new Date(ms).toISOString();
  const page = '_sort=occurredAt&_order=DESC&_start=0&_end=25';
  const q = (filters) => `/api/v1/transfers?${filters ? `${filters}&` : ''}${page}`;
  const e = encodeURIComponent;
  return [
    ['list: no filter, first page', q('')],
    [
      'list: no filter, offset page 101 (_start=2500)',
      '/api/v1/transfers?_sort=occurredAt&_order=DESC&_start=2500&_end=2525',
    ],
    ['list: no filter, keyset page 45 days deep', q(`cursor=${deepCursor}`)],
    ['list: username, heaviest user (user0)', q('username=user0')],
    ['list: username, rare user (user4000)', q('username=user4000')],
    ['list: username, no such user', q('username=nosuchuser')],
    ['list: userId, heaviest user', q(`userId=${userId(0)}`)],
    ['list: userId, rare user', q(`userId=${userId(4000)}`)],
    ['list: clientIp, one address', q('clientIp=10.0.0.1')],
    ['list: clientIp, CIDR /24', q(`clientIp=${e('198.51.100.0/24')}`)],
    ['list: operation=upload', q('operation=upload')],
    ['list: operation=login-failed', q('operation=login-failed')],
    ['list: outcome=failed', q('outcome=failed')],
    ['list: outcome=aborted', q('outcome=aborted')],
    ['list: pathPrefix /dir7/', q(`pathPrefix=${e('/dir7/')}`)],
    ['list: pathPrefix /dir7/file123 (narrow)', q(`pathPrefix=${e('/dir7/file123')}`)],
    ['list: serverId', q(`serverId=${serverId(1)}`)],
    ['list: workerId', q('workerId=worker-3')],
    ['list: time range, last 24 h', q(`from=${e(iso(now - DAY_MS))}`)],
    [
      'list: time range, 1 h 60 days ago',
      q(`from=${e(iso(now - 60 * DAY_MS))}&to=${e(iso(now - 60 * DAY_MS + 3_600_000))}`),
    ],
    ['list: username user0 + operation=upload', q('username=user0&operation=upload')],
    [
      'list: username user4000 + last 7 days',
      q(`username=user4000&from=${e(iso(now - 7 * DAY_MS))}`),
    ],
    ['list: login-failed + CIDR /24', q(`operation=login-failed&clientIp=${e('198.51.100.0/24')}`)],
    [
      'list: outcome=failed + serverId + last 30 days',
      q(`outcome=failed&serverId=${serverId(2)}&from=${e(iso(now - 30 * DAY_MS))}`),
    ],
  ];
}

async function runQueries(env, options) {
  let generated;
  if (options.reuseRows) {
    log(`queries: reusing the ${options.rows} rows already in ${env.db.name}`);
  } else {
    log(`queries: generating ${options.rows} rows over ${SPAN_DAYS} days`);
    generated = await generate(env.db.url, options.rows);
  }
  // A reused database ends when it was generated: its newest row stands for "now".
  const now = options.reuseRows
    ? (
        await pgQuery(env.db.url, `SELECT max("occurred_at") AS at FROM "transfer_logs"`)
      ).rows[0].at.getTime()
    : Date.now();
  const deep = await pgQuery(
    env.db.url,
    `SELECT to_char("occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, "id"
       FROM "transfer_logs" WHERE "occurred_at" < $1 ORDER BY "occurred_at" DESC, "id" DESC LIMIT 1`,
    [new Date(now - 45 * DAY_MS).toISOString()],
  );
  const deepCursor = Buffer.from(`${deep.rows[0].at}|${deep.rows[0].id}`).toString('base64url');
  const results = [];
  const base = env.api.baseUrl;
  const only = options.filter ? new RegExp(options.filter, 'i') : undefined;
  const selected = (name) => !only || only.test(name);
  for (const [name, query] of listCases(now, deepCursor)) {
    if (selected(name)) results.push(await measure(base, env.token, name, query, options));
  }
  const iso = (ms) => new Date(ms).toISOString();
  for (const [label, days, bucket] of [
    ['24 h', 1, 'hour'],
    ['7 d', 7, 'day'],
    ['30 d', 30, 'day'],
    ['90 d', 90, 'day'],
  ]) {
    const name = `stats: ${label} (bucket ${bucket})`;
    if (!selected(name)) continue;
    const query = `/api/v1/transfers/stats?from=${encodeURIComponent(iso(now - days * DAY_MS))}&to=${encodeURIComponent(iso(now))}&bucket=${bucket}`;
    results.push(await measure(base, env.token, name, query, options));
  }
  if (selected('export')) results.push(...(await exportThroughput(env, now)));
  if (generated) {
    results.push(
      scenario(
        `generation of ${options.rows} rows (INSERT ... SELECT, then VACUUM ANALYZE)`,
        's',
        [Number(generated.seconds.toFixed(1))],
        `table with indexes: ${generated.size}`,
      ),
    );
  }
  return results;
}

/** CSV export of the last 7 days, three times: rows/s and MB/s as the client receives them. */
async function exportThroughput(env, now) {
  const from = new Date(now - 7 * DAY_MS).toISOString();
  const url = `${env.api.baseUrl}/api/v1/transfers/export.csv?from=${encodeURIComponent(from)}`;
  const rowsPerSecond = [];
  const mbPerSecond = [];
  let rows = 0;
  let bytes = 0;
  for (let run = 0; run < 3; run++) {
    const started = process.hrtime.bigint();
    const response = await fetch(url, { headers: { authorization: `Bearer ${env.token}` } });
    if (response.status !== 200)
      throw new Error(`export: ${response.status} ${await response.text()}`);
    rows = 0;
    bytes = 0;
    for await (const chunk of response.body) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
    }
    rows -= 1; // the header line
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rowsPerSecond.push(Math.round(rows / seconds));
    mbPerSecond.push(Number((bytes / 1e6 / seconds).toFixed(1)));
    log(
      `export run ${run + 1}: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`,
    );
  }
  const notes = `GET /api/v1/transfers/export.csv?from=<now - 7 days>: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB`;
  return [
    scenario('export: CSV, last 7 days', 'rows/s', rowsPerSecond, notes),
    scenario('export: CSV, last 7 days', 'MB/s', mbPerSecond, notes),
  ];
}

module.exports = { runQueries };
