import { AdminRole } from '@wharf/contracts';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

/**
 * Every route of the control-plane core, with the least role it needs. A
 * lower role must get 403 and never reach the handler; the role itself must
 * get past the guard (anything but 401/403).
 */
const ROUTES: { method: string; path: string; role: AdminRole; body?: unknown }[] = [
  { method: 'GET', path: '/api/v1/auth/me', role: AdminRole.Auditor },
  { method: 'GET', path: '/api/v1/audit', role: AdminRole.Auditor },
  { method: 'GET', path: '/api/v1/audit/:id', role: AdminRole.Auditor },
  { method: 'GET', path: '/api/v1/api-keys', role: AdminRole.Auditor },
  { method: 'GET', path: '/api/v1/api-keys/:id', role: AdminRole.Auditor },
  {
    method: 'POST',
    path: '/api/v1/api-keys',
    role: AdminRole.Admin,
    body: { name: 'm', role: 'auditor' },
  },
  { method: 'DELETE', path: '/api/v1/api-keys/:id', role: AdminRole.Admin },
  { method: 'GET', path: '/api/v1/admins', role: AdminRole.Superadmin },
  { method: 'GET', path: '/api/v1/admins/:id', role: AdminRole.Superadmin },
  { method: 'POST', path: '/api/v1/admins', role: AdminRole.Superadmin, body: {} },
  { method: 'PUT', path: '/api/v1/admins/:id', role: AdminRole.Superadmin, body: {} },
  { method: 'PATCH', path: '/api/v1/admins/:id', role: AdminRole.Superadmin, body: {} },
  { method: 'DELETE', path: '/api/v1/admins/:id', role: AdminRole.Superadmin },
];

const LOWER: Record<AdminRole, AdminRole[]> = {
  [AdminRole.Superadmin]: [AdminRole.Admin, AdminRole.Auditor],
  [AdminRole.Admin]: [AdminRole.Auditor],
  [AdminRole.Auditor]: [],
};

const MISSING_ID = '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f';

describe('role matrix of the control-plane routes', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await createApiTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(ROUTES)('$method $path needs $role', async ({ method, path, role, body }) => {
    const url = path.replace(':id', MISSING_ID);
    expect((await t.request(method, url, { body })).status).toBe(401);
    for (const lower of LOWER[role]) {
      const r = await t.request(method, url, { token: t.tokens[lower], body });
      expect([lower, r.status]).toEqual([lower, 403]);
    }
    const allowed = await t.request(method, url, { token: t.tokens[role], body });
    expect([401, 403]).not.toContain(allowed.status);
  });

  it('the matrix covers every /api/v1 route of these modules in the OpenAPI document', async () => {
    const doc = await t.request<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/api/docs-json',
    );
    const documented = Object.entries(doc.body.paths)
      .filter(([p]) => /^\/api\/v1\/(auth|audit|api-keys|admins)/.test(p))
      .flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace('{id}', ':id')}`),
      )
      .filter((r) => r !== 'POST /api/v1/auth/login' && r !== 'POST /api/v1/auth/logout')
      .sort();
    expect(documented).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
});
