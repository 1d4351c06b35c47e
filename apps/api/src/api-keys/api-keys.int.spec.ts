import { createHash } from 'node:crypto';

import { AdminRole } from '@wharf/contracts';
import { AdminAuditLogEntity, AdminEntity, ApiKeyEntity } from '@wharf/database';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('api keys', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await createApiTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function createKey(role: AdminRole, token = t.tokens[AdminRole.Superadmin], extra = {}) {
    const r = await t.request('POST', '/api/v1/api-keys', {
      token,
      body: { name: `key-${role}-${Math.random().toString(36).slice(2, 8)}`, role, ...extra },
    });
    expect(r.status).toBe(201);
    return r.body as { id: string; key: string; prefix: string; name: string };
  }

  it('shows the secret once, stores only its SHA-256, and never lists it', async () => {
    const created = await createKey(AdminRole.Admin);
    expect(created.key).toMatch(new RegExp(`^wharf_${created.prefix}_[A-Za-z0-9_-]{43}$`));
    const row = await t.dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: created.id });
    expect(row.secretHash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.key);
    const one = await t.request('GET', `/api/v1/api-keys/${created.id}`, {
      token: t.tokens[AdminRole.Auditor],
    });
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('key');
    expect(one.body).not.toHaveProperty('secretHash');
    const list = await t.request('GET', `/api/v1/api-keys?q=${created.name}`, {
      token: t.tokens[AdminRole.Auditor],
    });
    expect(list.headers.get('x-total-count')).toBe('1');
    expect(JSON.stringify(list.body)).not.toContain(created.key.slice(17));
    const audit = await t.dataSource
      .getRepository(AdminAuditLogEntity)
      .findOneByOrFail({ targetType: 'api-key', targetId: created.id });
    expect(audit.changes.after).toMatchObject({ secretHash: '[redacted]', role: 'admin' });
    expect(JSON.stringify(audit.changes)).not.toContain(row.secretHash);
  });

  it('authenticates with Authorization: Bearer and with X-API-Key, and records last use', async () => {
    const created = await createKey(AdminRole.Auditor);
    const bearer = await t.request('GET', '/api/v1/auth/me', { token: created.key });
    expect(bearer.status).toBe(200);
    expect(bearer.body).toMatchObject({ kind: 'api-key', apiKeyId: created.id, role: 'auditor' });
    const header = await t.request('GET', '/api/v1/auth/me', {
      headers: { 'x-api-key': created.key },
    });
    expect(header.status).toBe(200);
    const row = await t.dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: created.id });
    expect(row.lastUsedAt).toBeInstanceOf(Date);
    expect(Date.now() - row.lastUsedAt!.getTime()).toBeLessThan(60_000);
    // An auditor key can read but not write.
    expect((await t.request('GET', '/api/v1/audit', { token: created.key })).status).toBe(200);
    expect(
      (
        await t.request('POST', '/api/v1/api-keys', {
          token: created.key,
          body: { name: 'x', role: 'auditor' },
        })
      ).status,
    ).toBe(403);
  });

  it('a revoked, expired, or unknown key is 401', async () => {
    const created = await createKey(AdminRole.Admin);
    expect((await t.request('GET', '/api/v1/auth/me', { token: created.key })).status).toBe(200);
    const revoke = await t.request('DELETE', `/api/v1/api-keys/${created.id}`, {
      token: t.tokens[AdminRole.Admin],
    });
    expect(revoke.status).toBe(204);
    expect((await t.request('GET', '/api/v1/auth/me', { token: created.key })).status).toBe(401);
    expect(
      (await t.request('GET', '/api/v1/auth/me', { headers: { 'x-api-key': created.key } })).status,
    ).toBe(401);
    const listed = await t.request('GET', `/api/v1/api-keys/${created.id}`, {
      token: t.tokens[AdminRole.Admin],
    });
    expect(listed.body.revokedAt).toEqual(expect.any(String));

    const expiring = await createKey(AdminRole.Admin, undefined, {
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await t.dataSource
      .getRepository(ApiKeyEntity)
      .update({ id: expiring.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await t.request('GET', '/api/v1/auth/me', { token: expiring.key })).status).toBe(401);
    expect((await t.request('GET', '/api/v1/auth/me', { token: `${created.key}x` })).status).toBe(
      401,
    );
  });

  it('a key cannot outrank its creator', async () => {
    const r = await t.request('POST', '/api/v1/api-keys', {
      token: t.tokens[AdminRole.Admin],
      body: { name: 'escalate', role: AdminRole.Superadmin },
    });
    expect(r.status).toBe(403);
    const superKey = await createKey(AdminRole.Superadmin);
    const adminCannotRevokeIt = await t.request('DELETE', `/api/v1/api-keys/${superKey.id}`, {
      token: t.tokens[AdminRole.Admin],
    });
    expect(adminCannotRevokeIt.status).toBe(403);
  });

  it('a key follows its creator: demoted creator caps it, disabled creator disables it', async () => {
    const creator = await t.createAdmin(AdminRole.Superadmin);
    const creatorToken = await t.login(creator.username, creator.password);
    const key = await createKey(AdminRole.Superadmin, creatorToken);
    expect((await t.request('GET', '/api/v1/admins', { token: key.key })).status).toBe(200);
    // A key made with a key belongs to the same admin.
    const child = await createKey(AdminRole.Superadmin, key.key);
    const me = await t.request('GET', '/api/v1/auth/me', { token: child.key });
    expect(me.body).toMatchObject({ kind: 'api-key', apiKeyId: child.id, adminId: creator.id });
    await t.dataSource
      .getRepository(AdminEntity)
      .update({ id: creator.id }, { role: AdminRole.Admin });
    expect((await t.request('GET', '/api/v1/admins', { token: key.key })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/admins', { token: child.key })).status).toBe(403);
    await t.dataSource.getRepository(AdminEntity).update({ id: creator.id }, { enabled: false });
    expect((await t.request('GET', '/api/v1/auth/me', { token: key.key })).status).toBe(401);
    expect((await t.request('GET', '/api/v1/auth/me', { token: child.key })).status).toBe(401);
  });

  it('validates the body (unknown fields, bad role, past expiry)', async () => {
    const r = await t.request('POST', '/api/v1/api-keys', {
      token: t.tokens[AdminRole.Admin],
      body: { name: '', role: 'god', expiresAt: '2000-01-01T00:00:00Z', secretHash: 'x' },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'expiresAt',
      'name',
      'role',
      'secretHash',
    ]);
  });
});
