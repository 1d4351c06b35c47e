import { AdminRole, type TransferEventRecord, type TransferStats, uuidv7 } from '@wharf/contracts';
import {
  ensureTransferLogPartitions,
  ROLLUP_UNITS,
  rollupTable,
  type RollupUnit,
  TRANSFER_STATS_ROLLUP_REBUILD,
} from '@wharf/database';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';
import { TransferIngestService } from './transfer-ingest.service';
import { splitRange } from './transfer-stats.service';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SERVERS = ['0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f', null];
const USERS: [string | null, string | null][] = [
  ['0193a5b0-0000-7000-8000-000000000001', 'carol'],
  ['0193a5b0-0000-7000-8000-000000000002', 'dave'],
  [null, 'root'],
  [null, null],
];
const OPERATIONS = ['upload', 'download', 'login-failed', 'mkdir'] as const;
const ADDRESSES = ['203.0.113.7', '198.51.100.20', null];

/** A far-away range of its own per call, so other specs' rows never fall in it. */
function freshRange(): number {
  // Years 3000+: transfer-log-partitions.int.spec.ts creates partitions in 2200-2900.
  const year = 3000 + Math.floor(Math.random() * 900);
  return Date.UTC(year, Math.floor(Math.random() * 12), 2);
}

/** Event n of a varied mix: every server, user, operation, outcome and address combination recurs. */
function mixedEvent(start: number, n: number, minute: number): TransferEventRecord {
  const operation = OPERATIONS[n % OPERATIONS.length]!;
  const [userId, username] = USERS[Math.floor(n / 3) % USERS.length]!;
  const at = start + minute * 60_000 + (n % 7) * 1000;
  return {
    id: uuidv7(at),
    occurredAt: new Date(at).toISOString(),
    workerId: 'w-rollup',
    serverId: SERVERS[n % SERVERS.length]!,
    sessionId: `s${n % 5}`,
    userId,
    username,
    clientIp: ADDRESSES[n % ADDRESSES.length]!,
    clientPort: 40000 + n,
    tlsVersion: null,
    operation,
    command: 'X',
    path: operation === 'login-failed' ? null : `/f${n}`,
    targetPath: null,
    bytes: operation === 'upload' || operation === 'download' ? 1000 + n * 37 : 0,
    durationMs: 1,
    outcome: operation === 'login-failed' ? 'failed' : n % 5 === 0 ? 'aborted' : 'ok',
    reason: null,
    sha256: null,
  };
}

describe('transfer stats roll-ups (real PostgreSQL)', () => {
  let api: ApiTestApp;
  let ingest: TransferIngestService;

  beforeAll(async () => {
    api = await createApiTestApp();
    ingest = api.app.get(TransferIngestService);
  });
  afterAll(async () => {
    await api.close();
  });

  type Query = (sql: string, params?: unknown[]) => Promise<unknown>;
  const query: Query = (sql, params) => api.dataSource.query(sql, params);

  /** The roll-ups of `unit` over [from, to), summed over their slots, as sorted JSON lines. */
  const rollup = async (unit: RollupUnit, from: number, to: number, q: Query = query) => {
    const range = [new Date(from).toISOString(), new Date(to).toISOString()];
    const transfers = (await q(
      `SELECT "at", "server_id", "user_id", "username",
              sum("uploads")::int AS uploads, sum("downloads")::int AS downloads,
              sum("bytes_in")::bigint::text AS bytes_in, sum("bytes_out")::bigint::text AS bytes_out,
              sum("failed")::int AS failed, sum("aborted")::int AS aborted
         FROM "${rollupTable('transfer_stats', unit)}" WHERE "at" >= $1 AND "at" < $2
        GROUP BY 1, 2, 3, 4`,
      range,
    )) as object[];
    const failed = (await q(
      `SELECT "at", host("client_ip") AS ip, sum("count")::int AS count
         FROM "${rollupTable('failed_logins', unit)}" WHERE "at" >= $1 AND "at" < $2
        GROUP BY 1, "client_ip"`,
      range,
    )) as object[];
    return { transfers: sortedJson(transfers), failed: sortedJson(failed) };
  };

  /** The same figures counted from transfer_logs itself. */
  const recount = async (unit: RollupUnit, from: number, to: number, q: Query = query) => {
    const range = [new Date(from).toISOString(), new Date(to).toISOString()];
    const at = `date_trunc('${unit}', "occurred_at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
    const transfers = (await q(
      `SELECT ${at} AS "at", "server_id", "user_id", "username",
              count(*) FILTER (WHERE "operation" = 'upload')::int AS uploads,
              count(*) FILTER (WHERE "operation" = 'download')::int AS downloads,
              coalesce(sum("bytes") FILTER (WHERE "operation" = 'upload'), 0)::bigint::text AS bytes_in,
              coalesce(sum("bytes") FILTER (WHERE "operation" = 'download'), 0)::bigint::text AS bytes_out,
              count(*) FILTER (WHERE "outcome" = 'failed')::int AS failed,
              count(*) FILTER (WHERE "outcome" = 'aborted')::int AS aborted
         FROM "transfer_logs"
        WHERE "operation" IN ('upload', 'download') AND "occurred_at" >= $1 AND "occurred_at" < $2
        GROUP BY 1, 2, 3, 4`,
      range,
    )) as object[];
    const failed = (await q(
      `SELECT ${at} AS "at", host("client_ip") AS ip, count(*)::int AS count
         FROM "transfer_logs"
        WHERE "operation" = 'login-failed' AND "occurred_at" >= $1 AND "occurred_at" < $2
        GROUP BY 1, "client_ip"`,
      range,
    )) as object[];
    return { transfers: sortedJson(transfers), failed: sortedJson(failed) };
  };

  /** Both units' roll-ups against the recount, over whole days from `start` (a midnight). */
  const expectRollupsMatch = async (start: number, days: number, q: Query = query) => {
    for (const unit of ROLLUP_UNITS) {
      const expected = await recount(unit, start, start + days * DAY, q);
      expect(await rollup(unit, start, start + days * DAY, q)).toEqual(expected);
    }
  };

  const stats = async (from: number, to: number, bucket: 'hour' | 'day' = 'hour') => {
    const response = await api.request<TransferStats>(
      'GET',
      `/api/v1/transfers/stats?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&bucket=${bucket}`,
      { token: api.tokens[AdminRole.Auditor] },
    );
    expect(response.status).toBe(200);
    return response.body;
  };

  it('counts each stored event once: duplicates inside and across batches, concurrent and late batches', async () => {
    const start = freshRange();
    const events = Array.from({ length: 240 }, (_v, n) => mixedEvent(start, n, n % 180));
    const first = events.slice(0, 120);
    // Concurrent batches that overlap each other and repeat events inside themselves.
    const results = await Promise.all([
      ingest.ingest({ events: [...first, ...first.slice(0, 30)] }),
      ingest.ingest({ events: events.slice(60, 180) }),
      ingest.ingest({ events: events.slice(100, 240) }),
      ingest.ingest({ events: first }),
    ]);
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(240);
    // A late batch for hours already counted, and a whole batch delivered again.
    const late = Array.from({ length: 30 }, (_v, n) => mixedEvent(start, 1000 + n, n));
    expect((await ingest.ingest({ events: late })).inserted).toBe(30);
    expect((await ingest.ingest({ events: [...late, ...events] })).inserted).toBe(0);

    const counted = await recount('hour', start, start + DAY);
    expect(counted.transfers.length).toBeGreaterThan(8);
    expect(counted.failed.length).toBeGreaterThan(3);
    await expectRollupsMatch(start, 1);
  });

  it('answers ranges that do not start or end on the hour from the roll-up plus the raw edges', async () => {
    const start = freshRange();
    // Over three and a half days, so ranges can hold whole days.
    const events = Array.from({ length: 300 }, (_v, n) => mixedEvent(start, n, n * 17));
    await ingest.ingest({ events });
    const ranges: [number, number][] = [
      [start + 17 * 60_000, start + 80 * HOUR + 3 * 60_000], // days, hours and partial hours
      [start + 17 * 60_000, start + 4 * HOUR + 3 * 60_000], // partial hours at both ends
      [start + 20 * 60_000, start + 40 * 60_000], // inside one hour
      [start + 50 * 60_000, start + 70 * 60_000], // across one boundary, no whole hour
      [start, start + 5 * HOUR], // whole hours only
    ];
    for (const [[from, to], bucket] of ranges.flatMap((r) => [
      [r, 'hour'] as const,
      [r, 'day'] as const,
    ])) {
      const inRange = events.filter((e) => {
        const at = Date.parse(e.occurredAt);
        return at >= from && at < to;
      });
      const moved = inRange.filter((e) => e.operation === 'upload' || e.operation === 'download');
      const failed = inRange.filter((e) => e.operation === 'login-failed');
      const body = await stats(from, to, bucket);
      expect(body.totals).toMatchObject({
        transfers: moved.length,
        bytesIn: sum(moved.filter((e) => e.operation === 'upload').map((e) => e.bytes)),
        bytesOut: sum(moved.filter((e) => e.operation === 'download').map((e) => e.bytes)),
        failedLogins: failed.length,
      });
      const byUser = new Map<string, number>();
      for (const e of moved) {
        if (e.username) byUser.set(e.username, (byUser.get(e.username) ?? 0) + e.bytes);
      }
      expect(body.topUsers).toEqual(
        [...byUser]
          .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
          .map(([username, bytes]) => ({ username, bytes })),
      );
      const byIp = new Map<string, number>();
      for (const e of failed) {
        if (e.clientIp) byIp.set(e.clientIp, (byIp.get(e.clientIp) ?? 0) + 1);
      }
      expect(new Map(body.failedLoginsByIp.map((f) => [f.clientIp, f.count]))).toEqual(byIp);
      // Per bucket, too: the first bucket holds only the rows from `from` on.
      const size = bucket === 'hour' ? HOUR : DAY;
      const firstBucket = Math.floor(from / size) * size;
      const inFirst = moved.filter((e) => Date.parse(e.occurredAt) < firstBucket + size);
      expect(body.buckets[0]).toEqual({
        at: new Date(firstBucket).toISOString(),
        bytesIn: sum(inFirst.filter((e) => e.operation === 'upload').map((e) => e.bytes)),
        bytesOut: sum(inFirst.filter((e) => e.operation === 'download').map((e) => e.bytes)),
        transfers: inFirst.length,
      });
    }
  });

  it.each([
    // from, to, with days: hourFirst, hourEnd, dayFirst, dayEnd
    ['18T10:17', '21T14:03', true, ['18T11:00', '21T14:00', '19T00:00', '21T00:00']],
    ['18T10:17', '21T14:03', false, ['18T11:00', '21T14:00', '21T14:00', '21T14:00']],
    ['20T10:00', '20T11:00', true, ['20T10:00', '20T11:00', '20T11:00', '20T11:00']],
    ['20T10:50', '20T11:10', true, ['20T11:10', '20T11:10', '20T11:10', '20T11:10']],
  ] as const)(
    'splitRange %s - %s (days: %s): whole days, the whole hours around them, none when there are none',
    (from, to, days, [hourFirst, hourEnd, dayFirst, dayEnd]) => {
      const t = (at: string) => new Date(`2026-11-${at}:00Z`);
      expect(splitRange(t(from), t(to), days)).toEqual({
        hourFirst: t(hourFirst),
        hourEnd: t(hourEnd),
        dayFirst: t(dayFirst),
        dayEnd: t(dayEnd),
      });
    },
  );

  it('the backfill (the migration) recounts rows that bypassed ingestion', async () => {
    const start = freshRange();
    const events = Array.from({ length: 60 }, (_v, n) => mixedEvent(start, n, n));
    // Straight into transfer_logs, as rows that existed before the roll-ups did.
    await query(
      `INSERT INTO "transfer_logs" ("id", "occurred_at", "server_id", "user_id", "username",
                                    "client_ip", "operation", "outcome", "bytes")
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::text[],
                            $6::inet[], $7::text[], $8::text[], $9::int8[])`,
      [
        events.map((e) => e.id),
        events.map((e) => e.occurredAt),
        events.map((e) => e.serverId),
        events.map((e) => e.userId),
        events.map((e) => e.username),
        events.map((e) => e.clientIp),
        events.map((e) => e.operation),
        events.map((e) => e.outcome),
        events.map((e) => e.bytes),
      ],
    );
    expect((await rollup('hour', start, start + DAY)).transfers).toEqual([]);
    await api.dataSource.transaction(async (manager) => {
      for (const statement of TRANSFER_STATS_ROLLUP_REBUILD) await manager.query(statement);
      const q: Query = (sql, params) => manager.query(sql, params);
      // Everything, not only this range: the rebuild locked out concurrent ingestion.
      await expectRollupsMatch(
        Date.UTC(1970, 0, 1),
        (Date.UTC(9000, 0, 1) - Date.UTC(1970, 0, 1)) / DAY,
        q,
      );
    });
    expect((await rollup('day', start, start + DAY)).transfers.length).toBeGreaterThan(3);
  });

  it('keeps its counts when rows move out of the default partition or a month is dropped', async () => {
    const start = freshRange();
    const month = new Date(start);
    const events = Array.from({ length: 80 }, (_v, n) => mixedEvent(start, n, n * 2));
    await ingest.ingest({ events });
    const end = start + DAY;
    const both = async (count: typeof rollup) => ({
      hour: await count('hour', start, end),
      day: await count('day', start, end),
    });
    const before = await both(rollup);
    expect(before).toEqual(await both(recount));
    const totals = (await stats(start, end, 'day')).totals;

    // The month's partition is created after its rows landed in the default one.
    const [created] = await ensureTransferLogPartitions(api.dataSource, 0, month);
    expect(created).toMatch(/^transfer_logs_y\d{4}m\d{2}$/);
    expect(await both(rollup)).toEqual(before);
    expect(await both(recount)).toEqual(before);

    // Retention drops the month's raw rows; the dashboard keeps its history.
    await query(`ALTER TABLE "transfer_logs" DETACH PARTITION "${created!}"`);
    await query(`DROP TABLE "${created!}"`);
    expect((await recount('hour', start, end)).transfers).toEqual([]);
    expect(await both(rollup)).toEqual(before);
    expect((await stats(start, end, 'day')).totals).toEqual(totals);
    expect((await stats(start, end, 'hour')).totals).toEqual(totals);
    expect(totals.transfers).toBeGreaterThan(0);
  });
});

const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);
const sortedJson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).sort();
