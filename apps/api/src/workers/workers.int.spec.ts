import { AdminRole } from '@wharf/contracts';
import { WorkerNode } from '@wharf/database';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('/api/v1/workers', () => {
  let t: ApiTestApp;
  let prefix: string;

  beforeAll(async () => {
    t = await createApiTestApp();
    prefix = `wk-${process.pid}-${Date.now().toString(36)}`;
    const beat = t.config.worker.heartbeatSeconds * 1000;
    const now = Date.now();
    const row = (id: string, ageMs: number) => ({
      id: `${prefix}-${id}`,
      hostname: `host-${id}`,
      version: '0.1.0',
      startedAt: new Date(now - 3_600_000),
      lastHeartbeatAt: new Date(now - ageMs),
      status: 'running' as const,
      sessionCount: 2,
      meta: { pid: 42 },
    });
    await t.dataSource.getRepository(WorkerNode).insert([
      row('fresh', 0),
      row('late', 2 * beat), // two missed beats: still online
      row('dead', 4 * beat), // more than three: stale
    ]);
  });

  afterAll(async () => {
    await t?.close();
  });

  const auditor = () => t.tokens[AdminRole.Auditor];

  it('lists workers with liveness computed from the last heartbeat (stale after 3 missed beats)', async () => {
    const res = await t.request('GET', `/api/v1/workers?q=${prefix}&_sort=id`, {
      token: auditor(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-count')).toBe('3');
    expect(res.body.map((w: { id: string; status: string }) => [w.id, w.status])).toEqual([
      [`${prefix}-dead`, 'stale'],
      [`${prefix}-fresh`, 'online'],
      [`${prefix}-late`, 'online'],
    ]);
    expect(res.body[0]).toMatchObject({
      hostname: 'host-dead',
      version: '0.1.0',
      reportedStatus: 'running',
      sessionCount: 2,
      meta: { pid: 42 },
      assignedServerIds: [],
    });
  });

  it('filters by status with a matching X-Total-Count', async () => {
    const stale = await t.request('GET', `/api/v1/workers?q=${prefix}&status=stale`, {
      token: auditor(),
    });
    expect(stale.headers.get('x-total-count')).toBe('1');
    expect(stale.body.map((w: { id: string }) => w.id)).toEqual([`${prefix}-dead`]);
    const online = await t.request(
      'GET',
      `/api/v1/workers?q=${prefix}&status=online&_start=0&_end=1`,
      {
        token: auditor(),
      },
    );
    expect(online.headers.get('x-total-count')).toBe('2');
    expect(online.body).toHaveLength(1);
    const bad = await t.request('GET', '/api/v1/workers?status=dead', { token: auditor() });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('status');
  });

  it('gets one worker, 404 for an unknown id, 401 without credentials', async () => {
    const one = await t.request('GET', `/api/v1/workers/${prefix}-fresh`, { token: auditor() });
    expect(one.status).toBe(200);
    expect(one.body.status).toBe('online');
    expect(
      (await t.request('GET', `/api/v1/workers/${prefix}-nope`, { token: auditor() })).status,
    ).toBe(404);
    expect((await t.request('GET', '/api/v1/workers')).status).toBe(401);
  });

  it('is read-only: there is no route to create, change or delete a worker', async () => {
    const superadmin = t.tokens[AdminRole.Superadmin];
    for (const [method, url] of [
      ['POST', '/api/v1/workers'],
      ['PATCH', `/api/v1/workers/${prefix}-fresh`],
      ['PUT', `/api/v1/workers/${prefix}-fresh`],
      ['DELETE', `/api/v1/workers/${prefix}-fresh`],
    ] as const) {
      const res = await t.request(method, url, { token: superadmin, body: { hostname: 'x' } });
      expect([method, res.status]).toEqual([method, 404]);
    }
    expect(await t.dataSource.getRepository(WorkerNode).countBy({ id: `${prefix}-fresh` })).toBe(1);
  });
});
