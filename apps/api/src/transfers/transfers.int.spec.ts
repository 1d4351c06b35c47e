import { randomUUID } from 'node:crypto';

import { AdminRole, type TransferEventRecord, type TransferLog, uuidv7 } from '@wharf/contracts';
import { DataSource } from 'typeorm';

import { API_DB_IDLE_TIMEOUT_MS } from '../app.module';
import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';
import { TransferIngestService } from './transfer-ingest.service';
import { EXACT_COUNT_LIMIT, NETWORK_WALK_ROWS } from './transfers.service';
import { buildFilter } from './transfers-query';

const T0 = Date.UTC(2026, 10, 20, 10, 0, 0); // 2026-11-20T10:00Z

function event(
  workerId: string,
  overrides: Partial<TransferEventRecord> = {},
): TransferEventRecord {
  const at = overrides.occurredAt ? new Date(overrides.occurredAt) : new Date(T0);
  return {
    id: uuidv7(at.getTime()),
    occurredAt: at.toISOString(),
    workerId,
    serverId: '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f',
    sessionId: 's-1',
    userId: null,
    username: 'alice',
    clientIp: '10.0.0.1',
    clientPort: 40000,
    tlsVersion: 'TLSv1.3',
    operation: 'upload',
    command: 'STOR',
    path: '/in/a.bin',
    targetPath: null,
    bytes: 100,
    durationMs: 3,
    outcome: 'ok',
    reason: null,
    sha256: null,
    ...overrides,
  };
}

const minutes = (n: number) => new Date(T0 + n * 60_000).toISOString();

describe('transfers API (real PostgreSQL)', () => {
  let api: ApiTestApp;
  let ingest: TransferIngestService;
  const auditor = () => api.tokens[AdminRole.Auditor];
  /** The SQL the api's data source was sent while `act` ran. */
  const statementsDuring = async (act: () => Promise<void>): Promise<string[]> => {
    const queries = jest.spyOn(api.app.get(DataSource), 'query');
    try {
      await act();
      return queries.mock.calls.map(([text]) => String(text));
    } finally {
      queries.mockRestore();
    }
  };
  const pageQueries = (sql: string[]) => sql.filter((t) => t.includes('ORDER BY l."occurred_at"'));

  beforeAll(async () => {
    api = await createApiTestApp();
    ingest = api.app.get(TransferIngestService);
  });
  afterAll(async () => {
    await api.close();
  });

  describe('ingest', () => {
    it('stores each event once, whatever the number of deliveries', async () => {
      const worker = `w-ingest-${randomUUID().slice(0, 8)}`;
      const events = Array.from({ length: 20 }, (_v, i) =>
        event(worker, { occurredAt: minutes(i) }),
      );
      expect(await ingest.ingest({ events })).toEqual({
        received: 20,
        inserted: 20,
        duplicates: 0,
        rejected: 0,
      });
      expect(await ingest.ingest({ events: [...events.slice(5), event(worker)] })).toMatchObject({
        inserted: 1,
        duplicates: 15,
      });
      const rows = (await api.dataSource.query(
        `SELECT count(*) AS n FROM transfer_logs WHERE worker_id = $1`,
        [worker],
      )) as { n: string }[];
      expect(Number(rows[0]!.n)).toBe(21);
    });

    it('rejects events without a usable identity and nulls odd fields instead of failing the batch', async () => {
      const worker = `w-odd-${randomUUID().slice(0, 8)}`;
      const good = event(worker, { serverId: 'not-a-uuid', clientIp: 'nowhere' });
      const result = await ingest.ingest({
        events: [
          good,
          event(worker, { id: 'nope' }),
          event(worker, { operation: 'explode' as never }),
          { ...event(worker), occurredAt: 'yesterday' },
        ],
      });
      expect(result).toMatchObject({ inserted: 1, rejected: 3 });
      const response = await api.request<TransferLog>('GET', `/api/v1/transfers/${good.id}`, {
        token: auditor(),
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ serverId: null, clientIp: null, workerId: worker });
    });

    it('stores text that looks like array-literal syntax verbatim (columns travel as arrays)', async () => {
      const worker = `w-literal-${randomUUID().slice(0, 8)}`;
      const nasty = [
        event(worker, { username: 'NULL', path: '/{a,b}/"q"\\x', reason: '' }),
        event(worker, { username: 'null', path: '/a b/\t{}', reason: 'x,"y"\\' }),
        event(worker, { username: 'ünï 🚀', path: '/😀/,', reason: null, sha256: 'a'.repeat(64) }),
      ];
      const once = nasty[0]!;
      // The same event twice in one batch is stored once.
      expect(await ingest.ingest({ events: [...nasty, once] })).toEqual({
        received: 4,
        inserted: 3,
        duplicates: 1,
        rejected: 0,
      });
      for (const sent of nasty) {
        const response = await api.request<TransferLog>('GET', `/api/v1/transfers/${sent.id}`, {
          token: auditor(),
        });
        expect(response.body).toMatchObject({
          username: sent.username,
          path: sent.path,
          reason: sent.reason,
          sha256: sent.sha256,
        });
      }
    });

    it('puts events older than every partition into the default partition', async () => {
      const worker = `w-old-${randomUUID().slice(0, 8)}`;
      const old = event(worker, { occurredAt: '2019-01-01T00:00:00.000Z' });
      await ingest.ingest({ events: [old] });
      const rows = (await api.dataSource.query(
        `SELECT tableoid::regclass::text AS part FROM transfer_logs WHERE id = $1`,
        [old.id],
      )) as { part: string }[];
      expect(rows[0]?.part).toBe('transfer_logs_default');
    });
  });

  describe('GET /api/v1/transfers', () => {
    const worker = `w-list-${randomUUID().slice(0, 8)}`;
    const userId = randomUUID();
    const events: TransferEventRecord[] = [];

    beforeAll(async () => {
      for (let i = 0; i < 60; i++) {
        events.push(
          event(worker, {
            occurredAt: minutes(i),
            username: i % 3 === 0 ? 'Bob' : 'alice',
            userId: i % 3 === 0 ? userId : null,
            clientIp: i % 2 === 0 ? '192.168.7.10' : `10.1.2.${i}`,
            operation: i % 5 === 0 ? 'download' : 'upload',
            outcome: i % 10 === 9 ? 'failed' : 'ok',
            path: i < 10 ? `/reports/r${i}.pdf` : `/in/f${i}.bin`,
            sessionId: `s-${i % 4}`,
            bytes: i * 10,
          }),
        );
      }
      // Two events in the same microsecond: the keyset must still order and page them.
      const twinAt = minutes(30.5);
      events.push(event(worker, { occurredAt: twinAt }), event(worker, { occurredAt: twinAt }));
      await ingest.ingest({ events });
    });

    const list = (query: string, token = auditor()) =>
      api.request<TransferLog[]>('GET', `/api/v1/transfers?workerId=${worker}&${query}`, { token });
    const idsOf = (filter: (e: TransferEventRecord) => boolean) =>
      events
        .filter(filter)
        .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id))
        .map((e) => e.id);

    it('needs credentials; an auditor may read', async () => {
      expect((await api.request('GET', '/api/v1/transfers')).status).toBe(401);
      expect((await list('_end=5')).status).toBe(200);
    });

    it('lists newest first with X-Total-Count and react-admin _start/_end', async () => {
      const first = await list('_start=0&_end=10');
      expect(first.headers.get('x-total-count')).toBe(String(events.length));
      expect(first.headers.get('x-total-count-exact')).toBe('true');
      expect(first.body.map((r) => r.id)).toEqual(idsOf(() => true).slice(0, 10));
      const second = await list('_start=10&_end=20');
      expect(second.body.map((r) => r.id)).toEqual(idsOf(() => true).slice(10, 20));
      const asc = await list('_sort=occurredAt&_order=ASC&_end=3');
      expect(asc.body.map((r) => r.id)).toEqual(
        idsOf(() => true)
          .reverse()
          .slice(0, 3),
      );
    });

    it('pages with the keyset cursor through every row exactly once, both directions', async () => {
      for (const order of ['DESC', 'ASC'] as const) {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 20; page++) {
          const response: Awaited<ReturnType<typeof list>> = await list(
            `_order=${order}&perPage=7${cursor ? `&cursor=${cursor}` : ''}`,
          );
          expect(response.status).toBe(200);
          seen.push(...response.body.map((r) => r.id));
          cursor = response.headers.get('x-next-cursor');
          if (!cursor) break;
        }
        const expected = idsOf(() => true);
        expect(seen).toEqual(order === 'DESC' ? expected : expected.reverse());
      }
    });

    it('filters by username, user id, session, operation, outcome, path prefix and time', async () => {
      const cases: [string, (e: TransferEventRecord) => boolean][] = [
        ['username=bob', (e) => e.username === 'Bob'],
        [`userId=${userId}`, (e) => e.userId === userId],
        ['sessionId=s-1', (e) => e.sessionId === 's-1'],
        ['operation=download', (e) => e.operation === 'download'],
        [
          'operation=download&outcome=failed',
          (e) => e.operation === 'download' && e.outcome === 'failed',
        ],
        ['outcome=failed,aborted', (e) => e.outcome === 'failed'],
        ['pathPrefix=/reports/', (e) => e.path?.startsWith('/reports/') ?? false],
        [
          `from=${minutes(10)}&to=${minutes(20)}`,
          (e) => e.occurredAt >= minutes(10) && e.occurredAt < minutes(20),
        ],
      ];
      for (const [query, filter] of cases) {
        const response = await list(`${query}&_end=1000`);
        expect({ query, ids: response.body.map((r) => r.id) }).toEqual({
          query,
          ids: idsOf(filter),
        });
        expect(response.headers.get('x-total-count')).toBe(String(idsOf(filter).length));
      }
    });

    it('filters by client IP, exact or CIDR', async () => {
      const exact = await list('clientIp=192.168.7.10&_end=1000');
      expect(exact.body.map((r) => r.id)).toEqual(idsOf((e) => e.clientIp === '192.168.7.10'));
      const cidr = await list(`clientIp=${encodeURIComponent('10.1.2.0/24')}&_end=1000`);
      expect(cidr.body.map((r) => r.id)).toEqual(idsOf((e) => e.clientIp.startsWith('10.1.2.')));
    });

    it('refuses bad filters and cursors with field errors', async () => {
      const bad = await list('operation=explode&clientIp=999.1.1.1&cursor=garbage&colour=red');
      expect(bad.status).toBe(400);
      const fields = (bad.body as unknown as { errors: { field: string }[] }).errors.map(
        (e) => e.field,
      );
      expect(fields).toEqual(expect.arrayContaining(['clientIp', 'colour']));
      const op = await list('operation=explode');
      expect(op.status).toBe(400);
      const cursor = await list('cursor=Z2FyYmFnZQ');
      expect(cursor.status).toBe(400);
    });

    it('returns one event by id, 404 for an unknown one', async () => {
      const target = events[7]!;
      const found = await api.request<TransferLog>('GET', `/api/v1/transfers/${target.id}`, {
        token: auditor(),
      });
      expect(found.body).toMatchObject({
        id: target.id,
        occurredAt: target.occurredAt,
        bytes: target.bytes,
        clientIp: target.clientIp,
        operation: target.operation,
      });
      const missing = await api.request('GET', `/api/v1/transfers/${randomUUID()}`, {
        token: auditor(),
      });
      expect(missing.status).toBe(404);
    });
  });

  describe('X-Total-Count above the exact limit', () => {
    it('is an estimate of at least 10,001 and says so', async () => {
      const worker = `w-many-${randomUUID().slice(0, 8)}`;
      for (let chunk = 0; chunk < 11; chunk++) {
        const events = Array.from({ length: 1000 }, (_v, i) =>
          event(worker, { occurredAt: minutes(chunk * 1000 + i), username: 'many' }),
        );
        await ingest.ingest({ events });
      }
      await api.dataSource.query('ANALYZE transfer_logs');
      const response = await api.request<TransferLog[]>(
        'GET',
        `/api/v1/transfers?workerId=${worker}&_end=5`,
        { token: auditor() },
      );
      expect(response.headers.get('x-total-count-exact')).toBe('false');
      expect(Number(response.headers.get('x-total-count'))).toBeGreaterThanOrEqual(10_001);
      const exact = await api.request(
        'GET',
        `/api/v1/transfers?workerId=${worker}&to=${minutes(500)}`,
        {
          token: auditor(),
        },
      );
      expect(exact.headers.get('x-total-count')).toBe('500');
      expect(exact.headers.get('x-total-count-exact')).toBe('true');
    });
  });

  describe('GET /api/v1/transfers/export.csv', () => {
    it('streams every matching row as CSV with formula cells neutralised', async () => {
      const worker = `w-csv-${randomUUID().slice(0, 8)}`;
      const nasty = [
        event(worker, { occurredAt: minutes(0), username: '=HYPERLINK("http://x")', path: '/a,b' }),
        event(worker, {
          occurredAt: minutes(1),
          username: '+cmd',
          reason: '-2+3',
          path: '@SUM(A1)',
        }),
        event(worker, { occurredAt: minutes(2), username: '\tTAB', reason: '\rCR', path: '/"q"' }),
      ];
      const filler = Array.from({ length: 2100 }, (_v, i) =>
        event(worker, { occurredAt: minutes(10 + i), username: 'filler' }),
      );
      await ingest.ingest({ events: nasty });
      for (let i = 0; i < filler.length; i += 500) {
        await ingest.ingest({ events: filler.slice(i, i + 500) });
      }
      const response = await fetch(
        `${api.baseUrl}/api/v1/transfers/export.csv?workerId=${worker}&_order=ASC`,
        { headers: { authorization: `Bearer ${auditor()}` } },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/csv');
      expect(response.headers.get('content-disposition')).toMatch(
        /^attachment; filename="transfers-.*\.csv"$/,
      );
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      const text = await response.text();
      const lines = text.split('\r\n').filter((l) => l !== '');
      expect(lines[0]).toBe(
        'id,occurredAt,operation,outcome,username,userId,clientIp,clientPort,command,path,targetPath,bytes,durationMs,reason,sha256,tlsVersion,sessionId,serverId,workerId',
      );
      expect(lines).toHaveLength(1 + nasty.length + filler.length);
      expect(lines[1]).toContain(`,"'=HYPERLINK(""http://x"")",`);
      expect(lines[1]).toContain(',"/a,b",');
      expect(lines[2]).toContain(",'+cmd,");
      expect(lines[2]).toContain(",'@SUM(A1),");
      expect(lines[2]).toContain(",'-2+3,");
      expect(lines[3]).toContain(",'\tTAB,");
      expect(text).toContain('"\'\rCR"');
      expect(lines[3]).toContain(',"/""q""",');
      // No cell may start with a formula character after the neutralising quote is stripped.
      for (const line of lines.slice(1)) {
        for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+@]/);
      }
    });

    it('refuses a bad filter with 400 before streaming', async () => {
      const response = await api.request('GET', '/api/v1/transfers/export.csv?clientIp=nope', {
        token: auditor(),
      });
      expect(response.status).toBe(400);
    });
  });

  describe('POST /api/v1/transfers/export-tokens (download links)', () => {
    const worker = `w-link-${randomUUID().slice(0, 8)}`;
    const other = `w-link-other-${randomUUID().slice(0, 8)}`;
    const filter = { workerId: worker, operation: ['upload', 'download'], _order: 'ASC' };

    beforeAll(async () => {
      await ingest.ingest({
        events: [
          event(worker, { occurredAt: minutes(0), path: '/in/mine.bin' }),
          event(worker, { occurredAt: minutes(1), operation: 'delete', command: 'DELE' }),
          event(other, { occurredAt: minutes(2), path: '/in/theirs.bin' }),
        ],
      });
    });

    const link = async (body: unknown = filter, token = auditor()) =>
      api.request('POST', '/api/v1/transfers/export-tokens', { token, body });
    /** Follows a link as a browser would: no Authorization header. */
    const follow = (url: string) => fetch(`${api.baseUrl}${url}`);

    it('gives an auditor a link that streams the filtered CSV without the Authorization header', async () => {
      const created = await link();
      expect(created.status).toBe(201);
      expect(created.body.url).toMatch(/^\/api\/v1\/transfers\/export\.csv\?.*token=/);
      const ttl = Date.parse(created.body.expiresAt) - Date.now();
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      const response = await follow(created.body.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
      const lines = (await response.text()).split('\r\n').filter((l) => l !== '');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('/in/mine.bin');
    });

    it('refuses a link whose filter was changed, extended or cut (401)', async () => {
      const { url } = (await link()).body;
      const tampered = [
        url.replace(worker, other),
        url.replace('operation=download', 'operation=delete'),
        `${url}&pathPrefix=%2F`,
        url.replace('_order=ASC&', ''),
      ];
      for (const changed of tampered) {
        expect(changed).not.toBe(url);
        expect([changed, (await follow(changed)).status]).toEqual([changed, 401]);
      }
    });

    it('refuses an expired link (401)', async () => {
      const { url } = (await link()).body;
      const now = Date.now();
      const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
      try {
        expect((await follow(url)).status).toBe(401);
      } finally {
        clock.mockRestore();
      }
      expect((await follow(url)).status).toBe(200);
    });

    it('never grants anything else: not as a bearer token, not on another route', async () => {
      const { url } = (await link()).body;
      const token = new URL(url, api.baseUrl).searchParams.get('token')!;
      expect((await api.request('GET', '/api/v1/transfers', { token })).status).toBe(401);
      expect((await api.request('GET', '/api/v1/auth/me', { token })).status).toBe(401);
      expect((await follow(`/api/v1/transfers?token=${token}`)).status).toBe(401);
      // Nor is an access token a download token.
      expect((await follow(`/api/v1/transfers/export.csv?token=${auditor()}`)).status).toBe(401);
      expect((await follow('/api/v1/transfers/export.csv?token=')).status).toBe(401);
    });

    it('dies with the session: logging out revokes the link', async () => {
      const admin = await api.createAdmin(AdminRole.Auditor);
      const session = await api.login(admin.username, admin.password);
      const { url } = (await link(filter, session)).body;
      expect((await follow(url)).status).toBe(200);
      expect((await api.request('POST', '/api/v1/auth/logout', { token: session })).status).toBe(
        204,
      );
      expect((await follow(url)).status).toBe(401);
    });

    it('is for signed-in admins: an API key gets 400 and uses export.csv directly', async () => {
      const key = await api.request('POST', '/api/v1/api-keys', {
        token: api.tokens[AdminRole.Admin],
        body: { name: `csv-${randomUUID().slice(0, 8)}`, role: 'auditor' },
      });
      expect(key.status).toBe(201);
      const refused = await link(filter, key.body.key);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'authorization' })]);
      const direct = await api.request('GET', `/api/v1/transfers/export.csv?workerId=${worker}`, {
        token: key.body.key,
      });
      expect(direct.status).toBe(200);
    });

    it('refuses a bad filter with field errors, and anonymous callers', async () => {
      const bad = await link({ clientIp: 'nope', nonsense: 'x', pathPrefix: { a: 1 } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'pathPrefix' })]),
      );
      const badValue = await link({ clientIp: 'nope', nonsense: 'x' });
      expect(badValue.status).toBe(400);
      expect(badValue.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'clientIp',
        'nonsense',
      ]);
      const anonymous = await api.request('POST', '/api/v1/transfers/export-tokens', {
        body: filter,
      });
      expect(anonymous.status).toBe(401);
    });
  });

  describe('GET /api/v1/transfers/stats', () => {
    it('sums bytes per bucket and ranks users and failed-login addresses', async () => {
      const worker = `w-stats-${randomUUID().slice(0, 8)}`;
      const day = Date.UTC(2026, 9, 3); // 2026-10-03, a range no other test writes to
      const at = (h: number, m = 0) => new Date(day + h * 3600_000 + m * 60_000).toISOString();
      await ingest.ingest({
        events: [
          event(worker, { occurredAt: at(1, 5), username: 'u1', operation: 'upload', bytes: 100 }),
          event(worker, {
            occurredAt: at(1, 50),
            username: 'u2',
            operation: 'download',
            bytes: 40,
          }),
          event(worker, { occurredAt: at(3), username: 'u2', operation: 'upload', bytes: 500 }),
          event(worker, { occurredAt: at(3), username: 'u1', operation: 'mkdir', bytes: 0 }),
          event(worker, {
            occurredAt: at(2),
            operation: 'login-failed',
            outcome: 'failed',
            clientIp: '203.0.113.9',
            username: 'x',
          }),
          event(worker, {
            occurredAt: at(2, 1),
            operation: 'login-failed',
            outcome: 'failed',
            clientIp: '203.0.113.9',
            username: 'x',
          }),
          event(worker, {
            occurredAt: at(2, 2),
            operation: 'login-failed',
            outcome: 'failed',
            clientIp: '198.51.100.1',
            username: 'y',
          }),
        ],
      });
      const response = await api.request(
        'GET',
        `/api/v1/transfers/stats?from=${at(0)}&to=${at(4)}&bucket=hour`,
        { token: auditor() },
      );
      expect(response.status).toBe(200);
      expect(response.body.buckets).toEqual([
        { at: at(0), bytesIn: 0, bytesOut: 0, transfers: 0 },
        { at: at(1), bytesIn: 100, bytesOut: 40, transfers: 2 },
        { at: at(2), bytesIn: 0, bytesOut: 0, transfers: 0 },
        { at: at(3), bytesIn: 500, bytesOut: 0, transfers: 1 },
      ]);
      expect(response.body.topUsers).toEqual([
        { username: 'u2', bytes: 540 },
        { username: 'u1', bytes: 100 },
      ]);
      expect(response.body.failedLoginsByIp).toEqual([
        { clientIp: '203.0.113.9', count: 2 },
        { clientIp: '198.51.100.1', count: 1 },
      ]);
      expect(response.body.totals).toMatchObject({
        transfers: 3,
        bytesIn: 600,
        bytesOut: 40,
        failedLogins: 3,
      });
      expect(typeof response.body.totals.activeSessions).toBe('number');
      expect(typeof response.body.totals.ftpUsers).toBe('number');

      const daily = await api.request(
        'GET',
        `/api/v1/transfers/stats?from=${new Date(day).toISOString()}&to=${new Date(day + 2 * 86400_000).toISOString()}&bucket=day`,
        { token: auditor() },
      );
      expect(daily.body.buckets).toEqual([
        { at: new Date(day).toISOString(), bytesIn: 600, bytesOut: 40, transfers: 3 },
        { at: new Date(day + 86400_000).toISOString(), bytesIn: 0, bytesOut: 0, transfers: 0 },
      ]);
    });

    it('refuses an inverted range, an unknown bucket and too many buckets', async () => {
      const bad = await api.request(
        'GET',
        '/api/v1/transfers/stats?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z&bucket=week',
        { token: auditor() },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'bucket',
        'from',
      ]);
      const wide = await api.request(
        'GET',
        '/api/v1/transfers/stats?from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=hour',
        { token: auditor() },
      );
      expect(wide.status).toBe(400);
    });
  });

  describe('X-Total-Count around EXACT_COUNT_LIMIT (1,000)', () => {
    it('is exact up to the limit and an estimate above it, without counting further', async () => {
      expect(EXACT_COUNT_LIMIT).toBe(1000);
      const worker = `w-limit-${randomUUID().slice(0, 8)}`;
      const events = Array.from({ length: 1200 }, (_v, i) =>
        event(worker, { occurredAt: minutes(i), username: 'limit' }),
      );
      await ingest.ingest({ events });
      await api.dataSource.query('ANALYZE transfer_logs');
      const totals = async (query: string) => {
        const response = await api.request('GET', `/api/v1/transfers?workerId=${worker}&${query}`, {
          token: auditor(),
        });
        return [response.headers.get('x-total-count'), response.headers.get('x-total-count-exact')];
      };
      let above: (string | null)[] = [];
      const sql = await statementsDuring(async () => {
        above = await totals('_end=5');
      });
      expect(above[1]).toBe('false');
      expect(Number(above[0])).toBeGreaterThanOrEqual(1001);
      // The capped count stops at the limit + 1 instead of reading all 1,200.
      expect(sql.filter((t) => /LIMIT 1001\b/.test(t))).toHaveLength(1);
      expect(await totals(`to=${minutes(1000)}`)).toEqual(['1000', 'true']);
    });
  });

  describe('a network (CIDR) holding more rows than NETWORK_WALK_ROWS', () => {
    const worker = `w-net-${randomUUID().slice(0, 8)}`;
    const inside: TransferEventRecord[] = [];

    beforeAll(async () => {
      // 2,880 of 3,200 events inside 172.20.0.0/16, the rest interleaved outside it.
      expect(NETWORK_WALK_ROWS).toBeLessThan(2880);
      for (let chunk = 0; chunk < 4; chunk++) {
        const events = Array.from({ length: 800 }, (_v, i) => {
          const n = chunk * 800 + i;
          const clientIp = n % 10 === 3 ? `172.21.0.${n % 200}` : `172.20.${n % 250}.${n % 200}`;
          return event(worker, { occurredAt: minutes(n / 7), clientIp });
        });
        inside.push(...events.filter((e) => e.clientIp.startsWith('172.20.')));
        await ingest.ingest({ events });
      }
      await api.dataSource.query('ANALYZE transfer_logs');
    });

    const newest = () =>
      inside
        .slice()
        .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id))
        .map((e) => e.id);
    const list = (query: string) =>
      api.request<TransferLog[]>(
        'GET',
        `/api/v1/transfers?workerId=${worker}&clientIp=${encodeURIComponent('172.20.0.0/16')}&${query}`,
        { token: auditor() },
      );

    it('pages it newest first by walking the log in time order, with an estimated total', async () => {
      const sql = await statementsDuring(async () => {
        const first = await list('_end=5');
        expect(first.body.map((r) => r.id)).toEqual(newest().slice(0, 5));
        expect(first.headers.get('x-total-count-exact')).toBe('false');
        expect(Number(first.headers.get('x-total-count'))).toBeGreaterThan(EXACT_COUNT_LIMIT);
        const deep = await list('_start=2000&_end=2010');
        expect(deep.body.map((r) => r.id)).toEqual(newest().slice(2000, 2010));
        const next = await list(`_end=5&cursor=${first.headers.get('x-next-cursor')}`);
        expect(next.body.map((r) => r.id)).toEqual(newest().slice(5, 10));
      });
      expect(pageQueries(sql)).toHaveLength(3);
      for (const text of pageQueries(sql)) expect(text).toContain('network_subeq(l."client_ip"');
    });

    it('answers a network with few rows exactly, through the client_ip index', async () => {
      const sql = await statementsDuring(async () => {
        const few = await list(`to=${minutes(10)}&_end=1000`);
        const expected = newest().filter((id) => {
          const e = inside.find((x) => x.id === id)!;
          return e.occurredAt < minutes(10);
        });
        expect(few.body.map((r) => r.id)).toEqual(expected);
        expect(few.headers.get('x-total-count')).toBe(String(expected.length));
        expect(few.headers.get('x-total-count-exact')).toBe('true');
      });
      expect(pageQueries(sql)).toEqual([expect.stringContaining('l."client_ip" <<=')]);
    });
  });

  describe("the api's database connections", () => {
    it('stay open past the 10 s idle default of pg-pool, so the next page plans on a warm backend', async () => {
      expect(API_DB_IDLE_TIMEOUT_MS).toBeGreaterThan(60_000);
      // An api on a database of its own: the other suites' apis share the
      // test database and open and close backends named wharf-api there.
      const own = await createApiTestApp({ isolatedDatabase: true });
      try {
        const backends = async () =>
          (
            (await own.dataSource.query(
              `SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'wharf-api' ORDER BY pid`,
            )) as { pid: number }[]
          ).map((r) => r.pid);
        const token = own.tokens[AdminRole.Auditor];
        expect((await own.request('GET', '/api/v1/transfers?_end=5', { token })).status).toBe(200);
        const before = await backends();
        expect(before.length).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 11_000));
        expect(await backends()).toEqual(before);
      } finally {
        await own.close();
      }
    }, 30_000);
  });

  describe('query plans', () => {
    const plan = async (sql: string, params: unknown[]) =>
      ((await api.dataSource.query(`EXPLAIN ${sql}`, params)) as { 'QUERY PLAN': string }[])
        .map((r) => r['QUERY PLAN'])
        .join('\n');

    beforeAll(async () => {
      // A few thousand rows over the month, so the planner's choices mean something.
      const worker = `w-plan-${randomUUID().slice(0, 8)}`;
      for (let chunk = 0; chunk < 6; chunk++) {
        const events = Array.from({ length: 1000 }, (_v, i) => {
          const n = chunk * 1000 + i;
          return event(worker, {
            occurredAt: new Date(Date.UTC(2026, 10, 1) + n * 400_000).toISOString(),
            userId: randomUUID(),
            clientIp: `172.16.${n % 250}.${n % 200}`,
            operation: n % 50 === 0 ? 'login-failed' : 'download',
            outcome: n % 50 === 0 ? 'failed' : 'ok',
          });
        });
        await ingest.ingest({ events });
      }
      await api.dataSource.query('ANALYZE transfer_logs');
    });

    it('uses the transfer_logs indexes for the list filters', async () => {
      const base = `SELECT * FROM transfer_logs l WHERE %s ORDER BY l.occurred_at DESC, l.id DESC LIMIT 25`;
      const checks: [string, unknown[], RegExp][] = [
        ['TRUE', [], /occurred_at_idx|IDX_transfer_logs_occurred_at/],
        ['l.user_id = $1', [randomUUID()], /user_id_occurred_at/],
        ['l.client_ip = $1::inet', ['172.16.3.3'], /client_ip_occurred_at/],
        ['l.client_ip <<= $1::inet', ['172.16.3.0/24'], /client_ip_occurred_at/],
        [
          `l.operation = ANY($1::text[]) AND l.outcome = ANY($2::text[])`,
          [['login-failed'], ['failed']],
          /operation_outcome_occurred_at/,
        ],
        [
          `l.occurred_at >= $1 AND l.occurred_at < $2`,
          ['2026-11-10T00:00:00Z', '2026-11-11T00:00:00Z'],
          /occurred_at/,
        ],
      ];
      for (const [where, params, index] of checks) {
        const text = await plan(base.replace('%s', where), params);
        if (process.env.DEBUG_PLANS) console.log(text);
        // Empty partitions (months ahead, default) may be seq-scanned at no cost; the filled one may not.
        const seqScan = /Seq Scan on transfer_logs_y2026m11/.test(text);
        expect({ where, usesIndex: index.test(text), seqScan }).toEqual({
          where,
          usesIndex: true,
          seqScan: false,
        });
      }
    });

    it('walks a network that holds many rows in time order instead of sorting all of it', async () => {
      const filter = buildFilter({ clientIp: '172.16.0.0/16' }, { networkInTimeOrder: true });
      const text = await plan(
        `SELECT * FROM transfer_logs l WHERE ${filter.where} ORDER BY l.occurred_at DESC, l.id DESC LIMIT 25`,
        filter.params,
      );
      if (process.env.DEBUG_PLANS) console.log(text);
      expect({
        timeOrdered: /Index Scan Backward using transfer_logs_y2026m11_occurred_at_idx/.test(
          text.replace(/\S*client_ip_occurred_at_idx/g, ''),
        ),
        clientIpIndex: /client_ip_occurred_at/.test(text),
        fullSort: /\n\s*->\s+Sort\b/.test(text),
      }).toEqual({ timeOrdered: true, clientIpIndex: false, fullSort: false });
    });
  });
});
