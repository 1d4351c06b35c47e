import { AdminRole } from '@wharf/contracts';
import { AdminAuditLogEntity, AdminEntity, verifyPassword } from '@wharf/database';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('admins', () => {
  let t: ApiTestApp;
  let token: string;
  beforeAll(async () => {
    t = await createApiTestApp();
    token = t.tokens[AdminRole.Superadmin];
  });
  afterAll(async () => {
    await t.close();
  });

  const uniqueName = () => `adm_${Math.random().toString(36).slice(2, 10)}`;

  it('refuses a PATCH that nulls username, password or role with 400 naming it, not a 500', async () => {
    const created = await t.request('POST', '/api/v1/admins', {
      token,
      body: { username: uniqueName(), password: 'a strong passphrase', role: AdminRole.Admin },
    });
    expect(created.status).toBe(201);
    for (const field of ['username', 'password', 'role']) {
      const res = await t.request('PATCH', `/api/v1/admins/${created.body.id as string}`, {
        token,
        body: { [field]: null },
      });
      expect(res.status).toBe(400);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    }
  });

  it('creates an admin without ever returning the password, and audits it redacted in the same transaction', async () => {
    const username = uniqueName();
    const r = await t.request('POST', '/api/v1/admins', {
      token,
      body: { username, password: 'a strong passphrase', role: AdminRole.Admin },
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.any(String),
      username,
      role: AdminRole.Admin,
      enabled: true,
      lastLoginAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const row = await t.dataSource.getRepository(AdminEntity).findOneByOrFail({ id: r.body.id });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    expect(row.passwordHash.split('$')[3]!.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    expect(await verifyPassword(row.passwordHash, 'a strong passphrase')).toBe(true);
    const audit = await t.dataSource
      .getRepository(AdminAuditLogEntity)
      .findOneByOrFail({ targetType: 'admin', targetId: r.body.id, action: 'create' });
    expect(audit).toMatchObject({
      actorKind: 'admin',
      actorId: t.admins[AdminRole.Superadmin].id,
      actorUsername: t.admins[AdminRole.Superadmin].username,
      actorRole: AdminRole.Superadmin,
      changes: {
        before: null,
        after: { username, role: 'admin', enabled: true, passwordHash: '[redacted]' },
      },
    });
    expect(audit.clientIp).toMatch(/127\.0\.0\.1/);
    expect(JSON.stringify(audit.changes)).not.toContain('a strong passphrase');
    expect(JSON.stringify(audit.changes)).not.toContain('$argon2');
  });

  it('writes nothing, not even an audit row, when the create fails (409 on a case-insensitive duplicate)', async () => {
    const existing = t.admins[AdminRole.Admin].username;
    const before = await t.dataSource.getRepository(AdminAuditLogEntity).count();
    const r = await t.request('POST', '/api/v1/admins', {
      token,
      body: {
        username: existing.toUpperCase(),
        password: 'a strong passphrase',
        role: AdminRole.Admin,
      },
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ statusCode: 409, field: 'username' });
    // Other test files write audit rows concurrently: check ours specifically.
    const ours = await t.dataSource
      .getRepository(AdminAuditLogEntity)
      .createQueryBuilder('l')
      .where("l.changes -> 'after' ->> 'username' = :u", { u: existing.toUpperCase() })
      .getCount();
    expect(ours).toBe(0);
    expect(await t.dataSource.getRepository(AdminAuditLogEntity).count()).toBeGreaterThanOrEqual(
      before,
    );
  });

  it('rejects mass assignment: id, role escalation fields and read-only fields are unknown', async () => {
    const r = await t.request('POST', '/api/v1/admins', {
      token,
      body: {
        id: '00000000-0000-7000-8000-000000000000',
        username: uniqueName(),
        password: 'a strong passphrase',
        role: AdminRole.Auditor,
        passwordHash: 'x',
        tokenVersion: 9,
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'id',
      'passwordHash',
      'tokenVersion',
    ]);
  });

  it('validates each field with its own message', async () => {
    const r = await t.request('POST', '/api/v1/admins', {
      token,
      body: { username: 'a b', password: 'short', role: 'root', enabled: 'yes' },
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('Validation failed');
    expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'enabled',
      'password',
      'role',
      'username',
    ]);
  });

  it('updates role and password; the target’s old tokens stop working; audit shows only changed fields', async () => {
    const a = await t.createAdmin(AdminRole.Auditor);
    const oldToken = await t.login(a.username, a.password);
    const r = await t.request('PATCH', `/api/v1/admins/${a.id}`, {
      token,
      body: { role: AdminRole.Admin, password: 'another long passphrase' },
    });
    expect(r.status).toBe(200);
    expect(r.body.role).toBe(AdminRole.Admin);
    expect((await t.request('GET', '/api/v1/auth/me', { token: oldToken })).status).toBe(401);
    await t.login(a.username, 'another long passphrase');
    const audit = await t.dataSource
      .getRepository(AdminAuditLogEntity)
      .findOneByOrFail({ targetId: a.id, action: 'update' });
    expect(audit.changes).toEqual({
      before: { role: 'auditor', passwordHash: '[redacted]' },
      after: { role: 'admin', passwordHash: '[redacted]' },
    });
  });

  it('404 for an unknown admin, 400 for a malformed id', async () => {
    const missing = await t.request('GET', '/api/v1/admins/0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f', {
      token,
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, message: 'Admin not found' });
    const malformed = await t.request('GET', '/api/v1/admins/nope', { token });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
  });

  it('lists with pagination, sorting, filters and X-Total-Count', async () => {
    const prefix = `pg_${Math.random().toString(36).slice(2, 8)}`;
    for (let i = 0; i < 5; i++)
      await t.createAdmin(AdminRole.Auditor, { username: `${prefix}_${i}` });
    const r = await t.request(
      'GET',
      `/api/v1/admins?q=${prefix}&_start=1&_end=3&_sort=username&_order=DESC`,
      { token },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('x-total-count')).toBe('5');
    expect(r.body.map((a: { username: string }) => a.username)).toEqual([
      `${prefix}_3`,
      `${prefix}_2`,
    ]);
    const page = await t.request(
      'GET',
      `/api/v1/admins?q=${prefix}&page=2&perPage=2&_sort=username`,
      { token },
    );
    expect(page.body.map((a: { username: string }) => a.username)).toEqual([
      `${prefix}_2`,
      `${prefix}_3`,
    ]);
    const many = await t.request('GET', `/api/v1/admins?id=${r.body[0].id}&id=${r.body[1].id}`, {
      token,
    });
    expect(many.body).toHaveLength(2);
    const bad = await t.request('GET', '/api/v1/admins?_sort=passwordHash&bogus=1', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['bogus', '_sort']);
  });
});

describe('the last enabled superadmin', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    // Its own database: every other test file adds superadmins to the shared one.
    t = await createApiTestApp({ isolatedDatabase: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('cannot be demoted, disabled or deleted (409); with a second one it can', async () => {
    const sa = t.admins[AdminRole.Superadmin];
    const token = t.tokens[AdminRole.Superadmin];
    for (const [method, body] of [
      ['PATCH', { role: AdminRole.Admin }],
      ['PUT', { enabled: false }],
      ['DELETE', undefined],
    ] as const) {
      const r = await t.request(method, `/api/v1/admins/${sa.id}`, { token, body });
      expect([method, r.status]).toEqual([method, 409]);
      expect(r.body.message).toMatch(/last enabled superadmin/);
    }
    const second = await t.createAdmin(AdminRole.Superadmin);
    const demote = await t.request('PATCH', `/api/v1/admins/${second.id}`, {
      token,
      body: { role: AdminRole.Admin },
    });
    expect(demote.status).toBe(200);
    // Now `sa` is the last one again.
    expect((await t.request('DELETE', `/api/v1/admins/${sa.id}`, { token })).status).toBe(409);
    const third = await t.createAdmin(AdminRole.Superadmin);
    expect((await t.request('DELETE', `/api/v1/admins/${third.id}`, { token })).status).toBe(204);
  });
});
