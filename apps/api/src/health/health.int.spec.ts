import { PartitionMaintenanceService } from '../maintenance/partition-maintenance.service';
import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('health, readiness, metrics and OpenAPI', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await createApiTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /healthz answers without credentials', async () => {
    const r = await t.request('GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports database and queue up', async () => {
    const r = await t.request('GET', '/readyz');
    expect(r.body).toEqual({ status: 'ok', checks: { database: 'up', queue: 'up' } });
    expect(r.status).toBe(200);
  });

  it('GET /metrics serves Prometheus text with the request histogram', async () => {
    await t.request('GET', '/healthz');
    const r = await t.request<string>('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    expect(r.body).toContain('wharf_api_http_request_duration_seconds_bucket');
    expect(r.body).toContain('route="/healthz"');
    expect(r.body).toContain('wharf_api_process_cpu_user_seconds_total');
  });

  it('ops routes live outside /api/v1', async () => {
    expect((await t.request('GET', '/api/v1/healthz')).status).toBe(404);
  });

  it('/api/docs-json documents the control-plane paths', async () => {
    const r = await t.request<{ paths: Record<string, unknown> }>('GET', '/api/docs-json');
    expect(r.status).toBe(200);
    for (const p of [
      '/api/v1/auth/login',
      '/api/v1/auth/me',
      '/api/v1/auth/logout',
      '/api/v1/admins',
      '/api/v1/admins/{id}',
      '/api/v1/api-keys',
      '/api/v1/api-keys/{id}',
      '/api/v1/audit',
      '/healthz',
      '/readyz',
      '/metrics',
    ]) {
      expect(Object.keys(r.body.paths)).toContain(p);
    }
    const docs = await t.request<string>('GET', '/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('partitions of transfer_logs exist for this month and three ahead', async () => {
    const rows = (await t.dataSource.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'transfer_logs'`,
    )) as { name: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(5);
  });
});

describe('partition maintenance while running', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await createApiTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates the months ahead of a later date (far future, to stay clear of other tests)', async () => {
    const service = t.app.get(PartitionMaintenanceService);
    const year = 3000 + Math.floor(Math.random() * 900);
    const created = await service.run(new Date(Date.UTC(year, 0, 10)));
    expect(created).toEqual([
      `transfer_logs_y${year}m01`,
      `transfer_logs_y${year}m02`,
      `transfer_logs_y${year}m03`,
      `transfer_logs_y${year}m04`,
    ]);
  });
});
