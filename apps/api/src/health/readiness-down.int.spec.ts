import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('GET /readyz when the queue backend is unreachable', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    // Port 1 on localhost: connection refused, the queue never becomes ready.
    t = await createApiTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 503 naming the failing check, while liveness stays 200', async () => {
    const r = await t.request('GET', '/readyz');
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ status: 'unavailable', checks: { database: 'up', queue: 'down' } });
    expect((await t.request('GET', '/healthz')).status).toBe(200);
  });
});
