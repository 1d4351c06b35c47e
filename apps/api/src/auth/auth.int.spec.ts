import { JwtService } from '@nestjs/jwt';
import { AdminRole } from '@wharf/contracts';
import { AdminEntity } from '@wharf/database';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('admin auth', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await createApiTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('logs in and returns a bearer token with the admin', async () => {
    const a = t.admins[AdminRole.Admin];
    const r = await t.request('POST', '/api/v1/auth/login', {
      body: { username: a.username.toUpperCase(), password: a.password },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 3600,
      admin: { id: a.id, username: a.username, role: AdminRole.Admin },
    });
    const me = await t.request('GET', '/api/v1/auth/me', { token: r.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      kind: 'admin',
      adminId: a.id,
      apiKeyId: null,
      username: a.username,
      role: AdminRole.Admin,
    });
  });

  it('refuses a bad password and an unknown user with the same 401 body', async () => {
    const a = t.admins[AdminRole.Auditor];
    const bad = await t.request('POST', '/api/v1/auth/login', {
      body: { username: a.username, password: 'wrong-password-123' },
    });
    const unknown = await t.request('POST', '/api/v1/auth/login', {
      body: { username: 'nobody-here', password: 'wrong-password-123' },
    });
    expect(bad.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(bad.body);
    expect(JSON.stringify(bad.body)).not.toMatch(/password-123/);
  });

  it('refuses a disabled admin', async () => {
    const disabled = await t.createAdmin(AdminRole.Admin, { enabled: false });
    const r = await t.request('POST', '/api/v1/auth/login', {
      body: { username: disabled.username, password: disabled.password },
    });
    expect(r.status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const a = t.admins[AdminRole.Admin];
    const jwt = t.app.get(JwtService);
    const expired = await jwt.signAsync({
      sub: a.id,
      ver: 0,
      username: a.username,
      exp: Math.floor(Date.now() / 1000) - 10,
    });
    const r = await t.request('GET', '/api/v1/auth/me', { token: expired });
    expect(r.status).toBe(401);
  });

  it('refuses a token signed with another secret, and garbage', async () => {
    const a = t.admins[AdminRole.Admin];
    const forged = await new JwtService({ secret: 'x'.repeat(40) }).signAsync({
      sub: a.id,
      ver: 0,
      username: a.username,
    });
    expect((await t.request('GET', '/api/v1/auth/me', { token: forged })).status).toBe(401);
    expect((await t.request('GET', '/api/v1/auth/me', { token: 'garbage' })).status).toBe(401);
    expect((await t.request('GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('logout revokes the token', async () => {
    const a = await t.createAdmin(AdminRole.Auditor);
    const token = await t.login(a.username, a.password);
    expect((await t.request('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    expect((await t.request('POST', '/api/v1/auth/logout', { token })).status).toBe(204);
    expect((await t.request('GET', '/api/v1/auth/me', { token })).status).toBe(401);
    // A fresh login works again.
    const again = await t.login(a.username, a.password);
    expect((await t.request('GET', '/api/v1/auth/me', { token: again })).status).toBe(200);
  });

  it('a disabled admin’s existing token stops working', async () => {
    const a = await t.createAdmin(AdminRole.Admin);
    const token = await t.login(a.username, a.password);
    await t.dataSource.getRepository(AdminEntity).update({ id: a.id }, { enabled: false });
    expect((await t.request('GET', '/api/v1/auth/me', { token })).status).toBe(401);
  });

  it('declared routes need credentials', async () => {
    expect((await t.request('GET', '/api/v1/admins')).status).toBe(401);
    expect((await t.request('GET', '/api/v1/audit')).status).toBe(401);
  });

  it('rejects a login body with unknown fields or missing ones (400 with field detail)', async () => {
    const r = await t.request('POST', '/api/v1/auth/login', {
      body: { username: 'x', password: 'y', role: 'superadmin' },
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      errors: [{ field: 'role', message: 'role should not exist' }],
    });
    const missing = await t.request('POST', '/api/v1/auth/login', { body: {} });
    expect(missing.status).toBe(400);
    // One message per field.
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'password',
      'username',
    ]);
  });

  it('answers malformed JSON with the shared 400 shape', async () => {
    const r = await t.request('POST', '/api/v1/auth/login', { body: '{"username": ' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      statusCode: 400,
      message: 'Validation failed',
      errors: [{ field: 'body', message: expect.stringMatching(/^body is not valid JSON/) }],
    });
  });
});

describe('failed-login rate limiting', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await createApiTestApp({
      loginRateLimits: { perUsername: 3, perIp: 5, windowMs: 60_000 },
      env: { WHARF_TRUST_PROXY: 'true' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const attempt = (username: string, password: string, ip: string) =>
    t.request('POST', '/api/v1/auth/login', {
      body: { username, password },
      headers: { 'x-forwarded-for': ip },
    });

  it('limits failures per username, even with the right password, with Retry-After', async () => {
    const a = await t.createAdmin(AdminRole.Admin);
    for (let i = 0; i < 3; i++) {
      expect((await attempt(a.username, 'wrong-password', `198.51.100.${i}`)).status).toBe(401);
    }
    const limited = await attempt(a.username, a.password, '198.51.100.99');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ statusCode: 429 });
    // Another user from another address is unaffected.
    const b = await t.createAdmin(AdminRole.Admin);
    expect((await attempt(b.username, b.password, '198.51.100.100')).status).toBe(200);
  });

  it('limits failures per IP across usernames', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await attempt(`ghost${i}`, 'wrong-password', '203.0.113.9')).status).toBe(401);
    }
    const c = await t.createAdmin(AdminRole.Auditor);
    expect((await attempt(c.username, c.password, '203.0.113.9')).status).toBe(429);
    expect((await attempt(c.username, c.password, '203.0.113.10')).status).toBe(200);
  });
});
