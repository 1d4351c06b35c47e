import { AdminRole } from '@wharf/contracts';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('GET /api/v1/audit', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await createApiTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists audit rows newest first with filters, for auditors and up', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const created = await t.request('POST', '/api/v1/api-keys', {
      token: t.tokens[AdminRole.Admin],
      body: { name: 'audited', role: AdminRole.Auditor },
    });
    await t.request('DELETE', `/api/v1/api-keys/${created.body.id}`, {
      token: t.tokens[AdminRole.Admin],
    });
    const r = await t.request(
      'GET',
      `/api/v1/audit?targetType=api-key&targetId=${created.body.id}&from=${since}&actor=${t.admins[AdminRole.Admin].username}`,
      { token: t.tokens[AdminRole.Auditor] },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('x-total-count')).toBe('2');
    expect(r.body.map((row: { action: string }) => row.action)).toEqual(['revoke', 'create']);
    expect(r.body[0]).toMatchObject({
      actorKind: 'admin',
      actorUsername: t.admins[AdminRole.Admin].username,
      actorRole: 'admin',
      targetType: 'api-key',
      targetId: created.body.id,
      changes: { before: { revokedAt: null }, after: { revokedAt: expect.any(String) } },
    });
    const one = await t.request('GET', `/api/v1/audit/${r.body[0].id}`, {
      token: t.tokens[AdminRole.Auditor],
    });
    expect(one.body).toEqual(r.body[0]);
    const onlyCreates = await t.request(
      'GET',
      `/api/v1/audit?targetId=${created.body.id}&action=create`,
      { token: t.tokens[AdminRole.Auditor] },
    );
    expect(onlyCreates.headers.get('x-total-count')).toBe('1');
    const none = await t.request('GET', `/api/v1/audit?targetId=${created.body.id}&to=${since}`, {
      token: t.tokens[AdminRole.Auditor],
    });
    expect(none.body).toEqual([]);
  });

  it('rejects bad filters with field detail', async () => {
    const r = await t.request('GET', '/api/v1/audit?from=yesterday&_end=5000', {
      token: t.tokens[AdminRole.Auditor],
    });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['_end', 'from']);
  });
});
