import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { type ApiTestApp, createApiTestApp } from './testing/api-test-app';

describe('serving the built admin UI', () => {
  let t: ApiTestApp;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-ui-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Wharf admin</title>');
    await writeFile(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
    t = await createApiTestApp({ env: { WHARF_ADMIN_UI_DIR: dir } });
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for client-side routes, assets as files', async () => {
    for (const p of ['/', '/ftp-users/123/show']) {
      const r = await t.request<string>('GET', p);
      expect([p, r.status]).toEqual([p, 200]);
      expect(r.body).toContain('Wharf admin');
    }
    const asset = await t.request<string>('GET', '/assets/app.js');
    expect(asset.body).toBe('console.log(1)');
  });

  it('leaves the API and ops routes alone', async () => {
    expect((await t.request('GET', '/api/v1/nope')).status).toBe(404);
    expect((await t.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.request('GET', '/api/v1/admins')).status).toBe(401);
  });
});
