import { AdminRole } from '@wharf/contracts';
import { AdminAuditLogEntity, FtpGroup, GroupMembership } from '@wharf/database';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('/api/v1/groups', () => {
  let t: ApiTestApp;
  let admin: string;
  let n = 0;
  const name = (p = 'g') => `${p}${process.pid}x${Date.now().toString(36)}${n++}`;

  beforeAll(async () => {
    t = await createApiTestApp();
    admin = t.tokens[AdminRole.Admin];
  });

  afterAll(async () => {
    await t?.close();
  });

  const createUser = async () => {
    const res = await t.request('POST', '/api/v1/ftp-users', {
      token: admin,
      body: { username: name('u'), password: 'long enough pw' },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('creates, reads, updates and deletes a group with members, limits and rules', async () => {
    const [u1, u2] = [await createUser(), await createUser()];
    const groupName = name();
    const created = await t.request('POST', '/api/v1/groups', {
      token: admin,
      body: {
        name: groupName,
        description: 'customers',
        quotaBytes: 1000,
        requireTls: true,
        allowedIps: ['10.0.0.0/8'],
        memberIds: [u1, u2],
        permissions: [{ path: '/pub/', allow: ['list', 'download'] }],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      name: groupName,
      description: 'customers',
      quotaBytes: 1000,
      maxSessions: null,
      requireTls: true,
      allowedIps: ['10.0.0.0/8'],
      memberIds: [u1, u2].sort(),
      permissions: [{ path: '/pub', allow: ['list', 'download'] }],
    });

    const user = await t.request('GET', `/api/v1/ftp-users/${u1}`, { token: admin });
    expect(user.body.groupIds).toEqual([id]);

    const patched = await t.request('PATCH', `/api/v1/groups/${id}`, {
      token: admin,
      body: { memberIds: [u2], quotaBytes: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ memberIds: [u2], quotaBytes: null, requireTls: true });

    const put = await t.request('PUT', `/api/v1/groups/${id}`, {
      token: admin,
      body: { name: groupName },
    });
    expect(put.body).toMatchObject({
      memberIds: [],
      permissions: [],
      requireTls: null,
      description: null,
    });

    const list = await t.request('GET', `/api/v1/groups?name=${groupName.toUpperCase()}`, {
      token: t.tokens[AdminRole.Auditor],
    });
    expect(list.headers.get('x-total-count')).toBe('1');

    expect((await t.request('DELETE', `/api/v1/groups/${id}`, { token: admin })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/groups/${id}`, { token: admin })).status).toBe(404);
    expect(await t.dataSource.getRepository(GroupMembership).countBy({ groupId: id })).toBe(0);
    expect((await t.request('GET', `/api/v1/ftp-users/${u2}`, { token: admin })).status).toBe(200);

    const audit = await t.dataSource.getRepository(AdminAuditLogEntity).find({
      where: { targetType: 'group', targetId: id },
      order: { at: 'ASC' },
    });
    expect(audit.map((r) => r.action)).toEqual(['create', 'update', 'update', 'delete']);
    expect(audit[1]!.changes).toEqual({
      before: { quotaBytes: 1000, memberIds: [u1, u2].sort() },
      after: { quotaBytes: null, memberIds: [u2] },
    });
  });

  it.each([
    ['bad name', { name: '-bad' }, 'name'],
    ['negative quota', { quotaFiles: -1 }, 'quotaFiles'],
    ['bad CIDR', { allowedIps: ['300.1.1.1'] }, 'allowedIps'],
    ['bad permission', { permissions: [{ path: '/', allow: ['sudo'] }] }, 'permissions[0].allow'],
    ['relative path', { permissions: [{ path: 'x', allow: [] }] }, 'permissions[0].path'],
    ['unknown member', { memberIds: ['00000000-0000-4000-8000-000000000000'] }, 'memberIds[0]'],
    ['unknown field', { owner: 'me' }, 'owner'],
    ['mass assignment of id', { id: '00000000-0000-4000-8000-000000000000' }, 'id'],
  ])('refuses %s with 400 naming the field', async (_what, override, field) => {
    const groupName = name();
    const res = await t.request('POST', '/api/v1/groups', {
      token: admin,
      body: { name: groupName, ...override },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await t.dataSource.getRepository(FtpGroup).countBy({ name: groupName })).toBe(0);
  });

  it('refuses a PATCH that nulls the name with 400 naming it, not a 500', async () => {
    const created = await t.request('POST', '/api/v1/groups', {
      token: admin,
      body: { name: name() },
    });
    const res = await t.request('PATCH', `/api/v1/groups/${created.body.id as string}`, {
      token: admin,
      body: { name: null },
    });
    expect(res.status).toBe(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain('name');
  });

  it('refuses a duplicate name case-insensitively with 409', async () => {
    const groupName = name('Dup');
    expect(
      (await t.request('POST', '/api/v1/groups', { token: admin, body: { name: groupName } }))
        .status,
    ).toBe(201);
    const dup = await t.request('POST', '/api/v1/groups', {
      token: admin,
      body: { name: groupName.toLowerCase() },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.field).toBe('name');
  });

  it('refuses every mutating route to auditors; superadmin may write', async () => {
    const auditor = t.tokens[AdminRole.Auditor];
    const created = await t.request('POST', '/api/v1/groups', {
      token: t.tokens[AdminRole.Superadmin],
      body: { name: name() },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const [method, url, body] of [
      ['POST', '/api/v1/groups', { name: name() }],
      ['PATCH', `/api/v1/groups/${id}`, { description: 'x' }],
      ['PUT', `/api/v1/groups/${id}`, { name: name() }],
      ['DELETE', `/api/v1/groups/${id}`, undefined],
    ] as const) {
      const res = await t.request(method, url, { token: auditor, body });
      expect([method, url, res.status]).toEqual([method, url, 403]);
    }
    expect((await t.request('GET', `/api/v1/groups/${id}`, { token: auditor })).status).toBe(200);
    expect((await t.request('GET', '/api/v1/groups', { token: auditor })).status).toBe(200);
  });
});
