import { EXPOSED_HEADERS } from './app.factory';
import { type ApiTestApp, createApiTestApp } from './testing/api-test-app';

const ALLOWED = 'https://admin.example.test';
const OTHER = 'https://elsewhere.example.test';

/** A browser's preflight for a cross-origin authenticated GET. */
const preflight = (t: ApiTestApp, origin: string) =>
  fetch(`${t.baseUrl}/api/v1/admins`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });

const list = (t: ApiTestApp, origin: string) =>
  fetch(`${t.baseUrl}/api/v1/admins`, {
    headers: { authorization: `Bearer ${t.tokens.superadmin}`, origin },
  });

describe('CORS', () => {
  describe('by default (WHARF_CORS_ORIGINS unset)', () => {
    let t: ApiTestApp;
    beforeAll(async () => {
      t = await createApiTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('grants no origin cross-origin access, while same-origin requests still work', async () => {
      const pre = await preflight(t, OTHER);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.headers.get('access-control-allow-methods')).toBeNull();
      const r = await list(t, OTHER);
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      expect(r.headers.get('access-control-expose-headers')).toBeNull();
      expect(r.headers.get('x-total-count')).not.toBeNull();
    });
  });

  describe('with WHARF_CORS_ORIGINS', () => {
    let t: ApiTestApp;
    beforeAll(async () => {
      t = await createApiTestApp({
        env: { WHARF_CORS_ORIGINS: `${ALLOWED},http://localhost:5173` },
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('allows exactly the listed origins and exposes the paging and rate-limit headers', async () => {
      const pre = await preflight(t, ALLOWED);
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
        'authorization',
      );
      const r = await list(t, ALLOWED);
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(r.headers.get('access-control-expose-headers')?.split(',')).toEqual(EXPOSED_HEADERS);
      const second = await list(t, 'http://localhost:5173');
      expect(second.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    });

    it('grants nothing to an origin that is not listed', async () => {
      expect((await preflight(t, OTHER)).headers.get('access-control-allow-origin')).toBeNull();
      // Without Access-Control-Allow-Origin the browser hides the whole response.
      const r = await list(t, OTHER);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
