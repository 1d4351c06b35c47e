import { existsSync } from 'node:fs';
import * as path from 'node:path';

import { AdminRole, ALL_FTP_PERMISSIONS } from '@wharf/contracts';
import { AdminAuditLogEntity, FtpUser } from '@wharf/database';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('/api/v1/ftp-users', () => {
  let t: ApiTestApp;
  let admin: string;
  let n = 0;
  /** Unique per run: the database is shared with other suites. */
  const name = (prefix = 'u') => `${prefix}${process.pid}x${Date.now().toString(36)}${n++}`;

  beforeAll(async () => {
    t = await createApiTestApp();
    admin = t.tokens[AdminRole.Admin];
  });

  afterAll(async () => {
    await t?.close();
  });

  const create = (body: Record<string, unknown>, token = admin) =>
    t.request('POST', '/api/v1/ftp-users', { token, body });

  const createGroup = async (body: Record<string, unknown>) => {
    const res = await t.request('POST', '/api/v1/groups', { token: admin, body });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string };
  };

  /** Asserts a 400 in the shared shape with an error on `field`. */
  const expect400 = (
    res: { status: number; body: { errors?: { field: string; message: string; line?: number }[] } },
    field: string,
  ) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: 'Validation failed' });
    expect(res.body.errors?.map((e) => e.field)).toContain(field);
  };

  const noSecrets = (body: unknown) => {
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/password/i);
    expect(text).not.toContain('argon2');
  };

  it('refuses a PATCH that nulls the username with 400 naming it, not a 500', async () => {
    const created = await create({ username: name(), password: 'long enough pw' });
    expect400(
      await t.request('PATCH', `/api/v1/ftp-users/${created.body.id as string}`, {
        token: admin,
        body: { username: null },
      }),
      'username',
    );
  });

  describe('create', () => {
    it('creates a user with defaults: all permissions on /, home dir under the storage root, no secret returned', async () => {
      const username = name('Alice');
      const res = await create({ username, password: 'long enough pw' });
      expect(res.status).toBe(201);
      noSecrets(res.body);
      expect(res.body).toMatchObject({
        username,
        enabled: true,
        homeDir: username,
        quotaBytes: null,
        requireTls: null,
        permissions: [{ path: '/', allow: [...ALL_FTP_PERMISSIONS] }],
        groupIds: [],
        usage: null,
      });
      expect(existsSync(path.join(t.config.storageRoot, username))).toBe(true);

      const stored = await t.dataSource.getRepository(FtpUser).findOneByOrFail({ id: res.body.id });
      expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
      const params = stored.passwordHash.split('$')[3]!.split(',').sort();
      expect(params).toEqual(['m=19456', 'p=1', 't=2']);

      const got = await t.request('GET', `/api/v1/ftp-users/${res.body.id}`, { token: admin });
      expect(got.status).toBe(200);
      noSecrets(got.body);
      expect(got.body).toEqual(res.body);
    });

    it('stores every limit, nested home dir, rules and groups', async () => {
      const group = await createGroup({ name: name('g') });
      const username = name();
      const res = await create({
        username,
        password: 'long enough pw',
        homeDir: `customers/${username}/`,
        quotaBytes: 1024,
        quotaFiles: 10,
        uploadQuotaBytes: 2048,
        downloadQuotaBytes: 4096,
        quotaPeriod: 'day',
        uploadBandwidth: 100,
        downloadBandwidth: 200,
        maxSessions: 2,
        allowedIps: ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32'],
        requireTls: true,
        expiresAt: '2030-01-01T00:00:00Z',
        enabled: false,
        permissions: [
          { path: '/incoming/', allow: ['upload', 'list'] },
          { path: '/', allow: ['list'] },
        ],
        groupIds: [group.id],
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        homeDir: `customers/${username}`,
        quotaBytes: 1024,
        quotaFiles: 10,
        uploadQuotaBytes: 2048,
        downloadQuotaBytes: 4096,
        quotaPeriod: 'day',
        uploadBandwidth: 100,
        downloadBandwidth: 200,
        maxSessions: 2,
        allowedIps: ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32'],
        requireTls: true,
        expiresAt: '2030-01-01T00:00:00.000Z',
        enabled: false,
        permissions: [
          { path: '/', allow: ['list'] },
          { path: '/incoming', allow: ['upload', 'list'] },
        ],
        groupIds: [group.id],
      });
      expect(existsSync(path.join(t.config.storageRoot, 'customers', username))).toBe(true);
    });

    it('refuses a username taken case-insensitively with 409 naming the field', async () => {
      const username = name('Bob');
      expect((await create({ username, password: 'long enough pw' })).status).toBe(201);
      const res = await create({ username: username.toUpperCase(), password: 'long enough pw' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, field: 'username' });
    });

    it.each([
      ['bad username charset', { username: 'bad name!' }, 'username'],
      ['username starting with a dot', { username: '.hidden' }, 'username'],
      ['username too short', { username: 'ab' }, 'username'],
      ['short password', { password: 'short' }, 'password'],
      ['missing password', { password: undefined }, 'password'],
      ['negative quota', { quotaBytes: -1 }, 'quotaBytes'],
      ['fractional quota', { quotaFiles: 1.5 }, 'quotaFiles'],
      ['string quota', { uploadQuotaBytes: '100' }, 'uploadQuotaBytes'],
      ['negative bandwidth', { downloadBandwidth: -5 }, 'downloadBandwidth'],
      ['bad quota period', { quotaPeriod: 'week' }, 'quotaPeriod'],
      ['bad CIDR', { allowedIps: ['10.0.0.0/33'] }, 'allowedIps'],
      ['not an IP', { allowedIps: ['example.com'] }, 'allowedIps'],
      [
        'bad permission name',
        { permissions: [{ path: '/', allow: ['fly'] }] },
        'permissions[0].allow',
      ],
      [
        'relative rule path',
        { permissions: [{ path: 'incoming', allow: ['list'] }] },
        'permissions[0].path',
      ],
      [
        '.. in rule path',
        { permissions: [{ path: '/a/../b', allow: ['list'] }] },
        'permissions[0].path',
      ],
      [
        'duplicate rule path',
        {
          permissions: [
            { path: '/a', allow: [] },
            { path: '/a/', allow: [] },
          ],
        },
        'permissions[1].path',
      ],
      ['homeDir escaping with ..', { homeDir: '../etc' }, 'homeDir'],
      ['homeDir escaping in the middle', { homeDir: 'a/../../b' }, 'homeDir'],
      ['absolute homeDir', { homeDir: '/etc' }, 'homeDir'],
      ['homeDir with backslash', { homeDir: 'a\\..\\b' }, 'homeDir'],
      ['bad expiresAt', { expiresAt: 'tomorrow' }, 'expiresAt'],
      ['bad group id', { groupIds: ['not-a-uuid'] }, 'groupIds'],
      ['unknown group', { groupIds: ['00000000-0000-4000-8000-000000000000'] }, 'groupIds[0]'],
      ['unknown field', { shell: '/bin/sh' }, 'shell'],
      ['mass assignment of id', { id: '00000000-0000-4000-8000-000000000000' }, 'id'],
      ['mass assignment of passwordHash', { passwordHash: '$argon2id$x' }, 'passwordHash'],
      ['mass assignment of createdAt', { createdAt: '2000-01-01T00:00:00Z' }, 'createdAt'],
      ['mass assignment of lastLoginAt', { lastLoginAt: '2000-01-01T00:00:00Z' }, 'lastLoginAt'],
    ])('refuses %s with 400 naming the field', async (_what, override, field) => {
      const username = name();
      const res = await create({ username, password: 'long enough pw', ...override });
      expect400(res, field);
      const count = await t.dataSource
        .getRepository(FtpUser)
        .createQueryBuilder('u')
        .where('lower(u.username) = lower(:username)', { username })
        .getCount();
      expect(count).toBe(0);
    });
  });

  describe('update', () => {
    it('PATCH changes only the given fields; PUT resets omitted ones; neither returns secrets', async () => {
      const username = name();
      const created = await create({
        username,
        password: 'long enough pw',
        quotaBytes: 100,
        maxSessions: 3,
        permissions: [{ path: '/', allow: ['list'] }],
      });
      const id = created.body.id as string;

      const patched = await t.request('PATCH', `/api/v1/ftp-users/${id}`, {
        token: admin,
        body: { quotaBytes: null, enabled: false },
      });
      expect(patched.status).toBe(200);
      noSecrets(patched.body);
      expect(patched.body).toMatchObject({
        quotaBytes: null,
        maxSessions: 3,
        enabled: false,
        permissions: [{ path: '/', allow: ['list'] }],
      });

      const put = await t.request('PUT', `/api/v1/ftp-users/${id}`, {
        token: admin,
        body: { username, uploadBandwidth: 10 },
      });
      expect(put.status).toBe(200);
      noSecrets(put.body);
      expect(put.body).toMatchObject({
        username,
        enabled: true,
        maxSessions: null,
        uploadBandwidth: 10,
        homeDir: username,
        permissions: [{ path: '/', allow: [...ALL_FTP_PERMISSIONS] }],
      });
    });

    it('refuses mass assignment and bad values on PATCH and PUT', async () => {
      const created = await create({ username: name(), password: 'long enough pw' });
      const id = created.body.id as string;
      for (const [method, body, field] of [
        ['PATCH', { id: '00000000-0000-4000-8000-000000000000' }, 'id'],
        ['PATCH', { passwordHash: 'x' }, 'passwordHash'],
        ['PATCH', { createdAt: '2000-01-01T00:00:00Z' }, 'createdAt'],
        ['PATCH', { quotaBytes: -1 }, 'quotaBytes'],
        ['PATCH', { homeDir: '../../x' }, 'homeDir'],
        ['PUT', { username: 'x y' }, 'username'],
        ['PUT', { username: name(), usage: {} }, 'usage'],
      ] as const) {
        expect400(
          await t.request(method, `/api/v1/ftp-users/${id}`, { token: admin, body }),
          field,
        );
      }
      const after = await t.dataSource.getRepository(FtpUser).findOneByOrFail({ id });
      expect(after.id).toBe(id);
      expect(after.createdAt.getFullYear()).toBeGreaterThan(2000);
    });

    it('resets the password (204, new hash), 404 for an unknown id, 400 for a bad id', async () => {
      const created = await create({ username: name(), password: 'long enough pw' });
      const id = created.body.id as string;
      const before = await t.dataSource.getRepository(FtpUser).findOneByOrFail({ id });
      const res = await t.request('POST', `/api/v1/ftp-users/${id}/password`, {
        token: admin,
        body: { password: 'another long pw' },
      });
      expect(res.status).toBe(204);
      expect(res.body).toBe('');
      const after = await t.dataSource.getRepository(FtpUser).findOneByOrFail({ id });
      expect(after.passwordHash).not.toBe(before.passwordHash);

      const missing = '00000000-0000-4000-8000-000000000000';
      expect(
        (
          await t.request('POST', `/api/v1/ftp-users/${missing}/password`, {
            token: admin,
            body: { password: 'another long pw' },
          })
        ).status,
      ).toBe(404);
      expect(
        (await t.request('GET', `/api/v1/ftp-users/${missing}`, { token: admin })).status,
      ).toBe(404);
      expect400(await t.request('GET', '/api/v1/ftp-users/nope', { token: admin }), 'id');
    });

    it('deletes (204) and then 404s', async () => {
      const created = await create({ username: name(), password: 'long enough pw' });
      const id = created.body.id as string;
      expect((await t.request('DELETE', `/api/v1/ftp-users/${id}`, { token: admin })).status).toBe(
        204,
      );
      expect((await t.request('GET', `/api/v1/ftp-users/${id}`, { token: admin })).status).toBe(
        404,
      );
      expect((await t.request('DELETE', `/api/v1/ftp-users/${id}`, { token: admin })).status).toBe(
        404,
      );
    });
  });

  describe('effective settings', () => {
    it('merges user and groups and reports where each value came from', async () => {
      const small = await createGroup({
        name: name('small'),
        quotaBytes: 1000,
        maxSessions: 5,
        requireTls: true,
        allowedIps: ['10.0.0.0/8'],
        permissions: [{ path: '/', allow: ['list', 'download'] }],
      });
      const big = await createGroup({
        name: name('zbig'),
        quotaBytes: 5000,
        allowedIps: ['192.0.2.0/24'],
        permissions: [{ path: '/shared', allow: ['upload'] }],
      });
      const created = await create({
        username: name(),
        password: 'long enough pw',
        maxSessions: 1,
        permissions: [{ path: '/private', allow: ['list', 'upload', 'delete'] }],
        groupIds: [small.id, big.id],
      });
      const res = await t.request('GET', `/api/v1/ftp-users/${created.body.id}/effective`, {
        token: t.tokens[AdminRole.Auditor],
      });
      expect(res.status).toBe(200);
      noSecrets(res.body);
      expect(res.body.limits).toMatchObject({
        quotaBytes: { value: 5000, source: `group:${big.name}` },
        maxSessions: { value: 1, source: 'user' },
        requireTls: { value: true, source: `group:${small.name}` },
        allowedIps: {
          value: ['10.0.0.0/8', '192.0.2.0/24'],
          source: `group:${small.name},group:${big.name}`,
        },
        quotaFiles: { value: null, source: 'default' },
        quotaPeriod: { value: 'month', source: 'default' },
      });
      expect(res.body.permissions).toEqual([
        { path: '/', allow: ['list', 'download'], source: `group:${small.name}` },
        { path: '/private', allow: ['list', 'upload', 'delete'], source: 'user' },
        { path: '/shared', allow: ['upload'], source: `group:${big.name}` },
      ]);
      expect(res.body.groups.map((g: { name: string }) => g.name)).toEqual([small.name, big.name]);
    });
  });

  describe('list', () => {
    it('paginates with X-Total-Count, sorts and filters (q, username, enabled, groupId, id)', async () => {
      const prefix = name('list');
      const group = await createGroup({ name: name('lg') });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await create({
          username: `${prefix}-${i}`,
          password: 'long enough pw',
          enabled: i % 2 === 0,
          groupIds: i < 2 ? [group.id] : [],
        });
        ids.push(res.body.id);
      }
      const page = await t.request(
        'GET',
        `/api/v1/ftp-users?q=${prefix}&_sort=username&_order=DESC&_start=1&_end=3`,
        { token: t.tokens[AdminRole.Auditor] },
      );
      expect(page.status).toBe(200);
      expect(page.headers.get('x-total-count')).toBe('5');
      expect(page.body.map((u: { username: string }) => u.username)).toEqual([
        `${prefix}-3`,
        `${prefix}-2`,
      ]);
      noSecrets(page.body);

      const enabled = await t.request('GET', `/api/v1/ftp-users?q=${prefix}&enabled=false`, {
        token: admin,
      });
      expect(enabled.headers.get('x-total-count')).toBe('2');

      const inGroup = await t.request('GET', `/api/v1/ftp-users?groupId=${group.id}`, {
        token: admin,
      });
      expect(inGroup.body.map((u: { id: string }) => u.id).sort()).toEqual(ids.slice(0, 2).sort());

      const exact = await t.request('GET', `/api/v1/ftp-users?username=${prefix.toUpperCase()}-4`, {
        token: admin,
      });
      expect(exact.body.map((u: { id: string }) => u.id)).toEqual([ids[4]]);

      const many = await t.request('GET', `/api/v1/ftp-users?id=${ids[0]}&id=${ids[1]}`, {
        token: admin,
      });
      expect(many.headers.get('x-total-count')).toBe('2');

      const perPage = await t.request('GET', `/api/v1/ftp-users?q=${prefix}&page=2&perPage=2`, {
        token: admin,
      });
      expect(perPage.body.map((u: { username: string }) => u.username)).toEqual([
        `${prefix}-2`,
        `${prefix}-3`,
      ]);

      expect400(
        await t.request('GET', '/api/v1/ftp-users?_sort=passwordHash', { token: admin }),
        '_sort',
      );
      expect400(
        await t.request('GET', '/api/v1/ftp-users?enabled=maybe', { token: admin }),
        'enabled',
      );
    });
  });

  const countByPrefix = (prefix: string) =>
    t.dataSource
      .getRepository(FtpUser)
      .createQueryBuilder('u')
      .where('u.username LIKE :p', { p: `${prefix}%` })
      .getCount();

  describe('bulk', () => {
    it('creates every JSON user in one go, with groups by name', async () => {
      const prefix = name('bj');
      const group = await createGroup({ name: name('bg') });
      const res = await t.request('POST', '/api/v1/ftp-users/bulk', {
        token: admin,
        body: {
          users: [
            { username: `${prefix}-a`, password: 'long enough pw', groups: [group.name] },
            { username: `${prefix}-b`, password: 'long enough pw', quotaBytes: 5 },
          ],
        },
      });
      expect(res.status).toBe(201);
      noSecrets(res.body);
      expect(res.body.created).toBe(2);
      expect(res.body.users[0]).toMatchObject({ username: `${prefix}-a`, groupIds: [group.id] });
      expect(res.body.users[1]).toMatchObject({ username: `${prefix}-b`, quotaBytes: 5 });
    });

    it('creates nothing when one JSON row is bad, and names its line and field', async () => {
      const prefix = name('bjx');
      const res = await t.request('POST', '/api/v1/ftp-users/bulk', {
        token: admin,
        body: {
          users: [
            { username: `${prefix}-a`, password: 'long enough pw' },
            { username: `${prefix}-b`, password: 'long enough pw', quotaBytes: -1 },
            { username: `${prefix}-A`, password: 'long enough pw' },
          ],
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ line: 2, field: 'quotaBytes' }),
          expect.objectContaining({ line: 3, field: 'username' }),
        ]),
      );
      expect(await countByPrefix(prefix)).toBe(0);
    });

    it('creates every CSV user in one go', async () => {
      const prefix = name('bc');
      const group = await createGroup({ name: name('cg') });
      const csv = [
        'username,password,homeDir,quotaBytes,enabled,allowedIps,groups',
        `${prefix}-a,long enough pw,,100,true,10.0.0.0/8;192.0.2.1,${group.name}`,
        `${prefix}-b,"long, enough pw",custom/${prefix}-b,,no,,`,
      ].join('\n');
      const res = await t.request('POST', '/api/v1/ftp-users/bulk', {
        token: admin,
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.status).toBe(201);
      expect(res.body.created).toBe(2);
      expect(res.body.users[0]).toMatchObject({
        username: `${prefix}-a`,
        quotaBytes: 100,
        enabled: true,
        allowedIps: ['10.0.0.0/8', '192.0.2.1'],
        groupIds: [group.id],
        homeDir: `${prefix}-a`,
      });
      expect(res.body.users[1]).toMatchObject({ enabled: false, homeDir: `custom/${prefix}-b` });
    });

    it('creates nothing when one CSV row is bad: reports its file line and field', async () => {
      const prefix = name('bcx');
      const csv = [
        'username,password,quotaBytes,groups',
        `${prefix}-a,long enough pw,1,`,
        '',
        `${prefix}-b,long enough pw,-5,`,
        `${prefix}-c,long enough pw,,no-such-group-${prefix}`,
        `bad name,long enough pw,,`,
        `${prefix}-a,long enough pw,,`,
      ].join('\r\n');
      const res = await t.request('POST', '/api/v1/ftp-users/bulk', {
        token: admin,
        body: csv,
        headers: { 'content-type': 'text/csv; charset=utf-8' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: 'Validation failed' });
      const got = res.body.errors.map((e: { line: number; field: string }) => [e.line, e.field]);
      expect(got).toEqual([
        [4, 'quotaBytes'],
        [5, 'groups'],
        [6, 'username'],
        [7, 'username'],
      ]);
      expect(await countByPrefix(prefix)).toBe(0);
    });

    it('refuses usernames that already exist, unknown CSV columns and a wrong content type', async () => {
      const existing = name('bex');
      await create({ username: existing, password: 'long enough pw' });
      const taken = await t.request('POST', '/api/v1/ftp-users/bulk', {
        token: admin,
        body: `username,password\n${existing.toUpperCase()},long enough pw\n`,
        headers: { 'content-type': 'text/csv' },
      });
      expect(taken.status).toBe(400);
      expect(taken.body.errors).toEqual([expect.objectContaining({ line: 2, field: 'username' })]);

      const unknown = await t.request('POST', '/api/v1/ftp-users/bulk', {
        token: admin,
        body: `username,password,shell\n${name()},long enough pw,/bin/sh\n`,
        headers: { 'content-type': 'text/csv' },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ line: 1, field: 'shell' })]);

      const wrongType = await t.request('POST', '/api/v1/ftp-users/bulk', {
        token: admin,
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      });
      expect(wrongType.status).toBe(400);
    });
  });

  describe('bulk dry run', () => {
    const bulk = (csv: string, query = '') =>
      t.request('POST', `/api/v1/ftp-users/bulk${query}`, {
        token: admin,
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
    const auditCount = async () =>
      t.dataSource.getRepository(AdminAuditLogEntity).count({ where: { targetType: 'ftp-user' } });

    it('answers a bad file with exactly the errors of a real run, database checks included', async () => {
      const prefix = name('dr');
      const existing = `${prefix}-taken`;
      await create({ username: existing, password: 'long enough pw' });
      const csv = [
        'username,password,quotaBytes,groups',
        `${prefix}-a,long enough pw,1,`,
        `${existing.toUpperCase()},long enough pw,,`,
        `${prefix}-b,long enough pw,-5,`,
        `${prefix}-c,long enough pw,,no-such-group-${prefix}`,
        `${prefix}-a,long enough pw,,`,
      ].join('\n');
      const dry = await bulk(csv, '?dryRun=true');
      expect(dry.status).toBe(400);
      const got = dry.body.errors.map((e: { line: number; field: string }) => [e.line, e.field]);
      expect(got).toEqual([
        [3, 'username'],
        [4, 'quotaBytes'],
        [5, 'groups'],
        [6, 'username'],
      ]);
      expect(dry.body.errors[0].message).toContain('already exists');
      const real = await bulk(csv);
      expect(real.status).toBe(400);
      expect(real.body).toEqual(dry.body);
      expect(await countByPrefix(prefix)).toBe(1);
    });

    it('lists what a good file would create, and creates, hashes and audits nothing', async () => {
      const prefix = name('dok');
      const group = await createGroup({ name: name('dg') });
      const csv = [
        'username,password,homeDir,enabled,groups',
        `${prefix}-a,long enough pw,,true,${group.name}`,
        `${prefix}-b,long enough pw,custom/${prefix}-b,no,`,
      ].join('\n');
      const audits = await auditCount();
      const dry = await bulk(csv, '?dryRun=true');
      expect(dry.status).toBe(200);
      noSecrets(dry.body);
      expect(dry.body).toEqual({
        dryRun: true,
        created: 0,
        wouldCreate: 2,
        users: [
          {
            line: 2,
            username: `${prefix}-a`,
            enabled: true,
            homeDir: `${prefix}-a`,
            groupIds: [group.id],
            permissions: [{ path: '/', allow: [...ALL_FTP_PERMISSIONS] }],
          },
          expect.objectContaining({ line: 3, enabled: false, homeDir: `custom/${prefix}-b` }),
        ],
      });
      expect(await countByPrefix(prefix)).toBe(0);
      expect(await auditCount()).toBe(audits);
      expect(existsSync(path.join(t.config.storageRoot, `${prefix}-a`))).toBe(false);
      // The same file then goes through for real.
      const real = await bulk(csv, '?dryRun=false');
      expect(real.status).toBe(201);
      expect(real.body.created).toBe(2);
    });

    it('takes JSON too, and refuses a dryRun that is not true or false', async () => {
      const prefix = name('dj');
      const dry = await t.request('POST', '/api/v1/ftp-users/bulk?dryRun=true', {
        token: admin,
        body: { users: [{ username: `${prefix}-a`, password: 'long enough pw' }] },
      });
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ wouldCreate: 1, users: [{ line: 1 }] });
      expect(await countByPrefix(prefix)).toBe(0);
      const odd = await bulk(`username,password\n${prefix}-b,long enough pw\n`, '?dryRun=yes');
      expect(odd.status).toBe(400);
      expect(odd.body.errors).toEqual([expect.objectContaining({ field: 'dryRun' })]);
      expect(await countByPrefix(prefix)).toBe(0);
    });
  });

  describe('OpenAPI', () => {
    it('documents the FTP routes; no response schema has a password or private key', async () => {
      const res = await t.request('GET', '/api/docs-json');
      expect(res.status).toBe(200);
      const doc = res.body as {
        paths: Record<string, unknown>;
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      };
      for (const p of [
        '/api/v1/ftp-users',
        '/api/v1/ftp-users/bulk',
        '/api/v1/ftp-users/{id}',
        '/api/v1/ftp-users/{id}/effective',
        '/api/v1/ftp-users/{id}/password',
        '/api/v1/groups/{id}',
        '/api/v1/servers/{id}/status',
        '/api/v1/workers/{id}',
      ]) {
        expect(Object.keys(doc.paths)).toContain(p);
      }
      for (const view of ['FtpUserView', 'ServerView', 'GroupView', 'WorkerView']) {
        const props = Object.keys(doc.components.schemas[view]?.properties ?? {});
        expect(props.length).toBeGreaterThan(3);
        expect(props.filter((k) => /password|keyPem|hash/i.test(k))).toEqual([]);
      }
    });
  });

  describe('roles and audit', () => {
    it('lets auditors read but refuses every mutating route with 403; admin and superadmin may write', async () => {
      const auditor = t.tokens[AdminRole.Auditor];
      const created = await create({ username: name(), password: 'long enough pw' });
      const id = created.body.id as string;
      const attempts: [string, string, unknown][] = [
        ['POST', '/api/v1/ftp-users', { username: name(), password: 'long enough pw' }],
        ['PATCH', `/api/v1/ftp-users/${id}`, { enabled: false }],
        ['PUT', `/api/v1/ftp-users/${id}`, { username: name() }],
        ['POST', `/api/v1/ftp-users/${id}/password`, { password: 'long enough pw' }],
        ['DELETE', `/api/v1/ftp-users/${id}`, undefined],
        [
          'POST',
          '/api/v1/ftp-users/bulk',
          { users: [{ username: name(), password: 'long enough pw' }] },
        ],
        [
          'POST',
          '/api/v1/ftp-users/bulk?dryRun=true',
          { users: [{ username: name(), password: 'long enough pw' }] },
        ],
      ];
      for (const [method, url, body] of attempts) {
        const res = await t.request(method, url, { token: auditor, body });
        expect([method, url, res.status]).toEqual([method, url, 403]);
      }
      for (const url of [
        '/api/v1/ftp-users',
        `/api/v1/ftp-users/${id}`,
        `/api/v1/ftp-users/${id}/effective`,
      ]) {
        expect((await t.request('GET', url, { token: auditor })).status).toBe(200);
        expect((await t.request('GET', url)).status).toBe(401);
      }
      const bySuper = await create(
        { username: name(), password: 'long enough pw' },
        t.tokens[AdminRole.Superadmin],
      );
      expect(bySuper.status).toBe(201);
      expect(
        (
          await t.request('DELETE', `/api/v1/ftp-users/${bySuper.body.id}`, {
            token: t.tokens[AdminRole.Superadmin],
          })
        ).status,
      ).toBe(204);
    });

    it('writes an audit row for create, update, password reset and delete, with secrets redacted', async () => {
      const created = await create({ username: name(), password: 'super secret pw 1' });
      const id = created.body.id as string;
      await t.request('PATCH', `/api/v1/ftp-users/${id}`, {
        token: admin,
        body: { maxSessions: 7, password: 'super secret pw 2' },
      });
      await t.request('POST', `/api/v1/ftp-users/${id}/password`, {
        token: admin,
        body: { password: 'super secret pw 3' },
      });
      await t.request('DELETE', `/api/v1/ftp-users/${id}`, { token: admin });

      const rows = await t.dataSource.getRepository(AdminAuditLogEntity).find({
        where: { targetType: 'ftp-user', targetId: id },
        order: { at: 'ASC' },
      });
      expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'reset-password', 'delete']);
      for (const row of rows) {
        expect(row.actorUsername).toBe(t.admins[AdminRole.Admin].username);
        expect(row.actorRole).toBe(AdminRole.Admin);
        const text = JSON.stringify(row.changes);
        expect(text).not.toContain('super secret');
        expect(text).not.toContain('argon2');
      }
      expect(rows[1]!.changes).toMatchObject({
        before: { maxSessions: null, password: null },
        after: { maxSessions: 7, password: '[redacted]' },
      });
      expect(rows[0]!.changes.after).toMatchObject({ username: created.body.username });
      expect(rows[3]!.changes).toMatchObject({ after: null });
    });
  });
});
