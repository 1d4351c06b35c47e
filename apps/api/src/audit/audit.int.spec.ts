import { AdminRole } from '@wharf/contracts';
import { AdminAuditLogEntity } from '@wharf/database';
import { DataSource } from 'typeorm';

import type { Actor } from '../auth/actor';
import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';
import { AuditService } from './audit.service';

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

describe('AuditService.record', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await createApiTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes in the caller’s transaction: a rollback removes the audit row too', async () => {
    const audit = t.app.get(AuditService);
    const dataSource = t.app.get(DataSource);
    const actor: Actor = {
      kind: 'admin',
      adminId: t.admins[AdminRole.Admin].id,
      apiKeyId: null,
      username: t.admins[AdminRole.Admin].username,
      role: AdminRole.Admin,
      ip: '198.51.100.7',
    };
    const targetId = `rollback-${Date.now()}`;
    await expect(
      dataSource.transaction(async (manager) => {
        await audit.record(manager, actor, {
          action: 'update',
          targetType: 'probe',
          targetId,
          after: { a: 1 },
        });
        throw new Error('business rule failed after the audit write');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await t.dataSource.getRepository(AdminAuditLogEntity).countBy({ targetId })).toBe(0);

    await dataSource.transaction(async (manager) => {
      await audit.record(manager, actor, {
        action: 'update',
        targetType: 'probe',
        targetId,
        before: { quotaBytes: 1, password: 'old-secret', name: 'same' },
        after: { quotaBytes: 2, password: 'new-secret', name: 'same' },
      });
    });
    const row = await t.dataSource.getRepository(AdminAuditLogEntity).findOneByOrFail({ targetId });
    expect(row).toMatchObject({
      actorKind: 'admin',
      actorRole: 'admin',
      clientIp: '198.51.100.7',
      changes: {
        before: { quotaBytes: 1, password: '[redacted]' },
        after: { quotaBytes: 2, password: '[redacted]' },
      },
    });
    expect(JSON.stringify(row.changes)).not.toMatch(/old-secret|new-secret/);
  });
});
