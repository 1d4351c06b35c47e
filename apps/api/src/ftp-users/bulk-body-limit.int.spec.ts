import { ALL_FTP_PERMISSIONS } from '@wharf/contracts';
import { FtpUser } from '@wharf/database';

import { BODY_LIMIT_BYTES } from '../app.factory';
import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';
import { MAX_BULK_JSON_BYTES } from './bulk-body';

describe('JSON body limits', () => {
  let t: ApiTestApp;
  let admin: string;
  const prefix = `bl${process.pid.toString(36)}${Date.now().toString(36)}`;
  beforeAll(async () => {
    t = await createApiTestApp();
    admin = t.tokens.admin;
  });
  afterAll(async () => {
    await t.close();
  });

  /** A user with 256 long permission rules: ~270 kB of JSON, with one password to hash. */
  const bigUser = (n: number) => ({
    username: `${prefix}-${n}`,
    password: 'long enough pw',
    permissions: Array.from({ length: 256 }, (_, i) => ({
      path: `/d${i}/${'x'.repeat(1000)}`,
      allow: [...ALL_FTP_PERMISSIONS],
    })),
  });

  it('takes a ~2 MB JSON bulk import', async () => {
    const body = JSON.stringify({ users: Array.from({ length: 8 }, (_, n) => bigUser(n)) });
    expect(body.length).toBeGreaterThan(2_000_000);
    const res = await t.request('POST', '/api/v1/ftp-users/bulk', { token: admin, body });
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(8);
    const stored = await t.dataSource
      .getRepository(FtpUser)
      .createQueryBuilder('u')
      .where('u.username LIKE :p', { p: `${prefix}-%` })
      .getCount();
    expect(stored).toBe(8);
  });

  it('answers 413 naming the limit when a bulk body is larger', async () => {
    const body = JSON.stringify({ users: [], padding: 'x'.repeat(MAX_BULK_JSON_BYTES) });
    const res = await t.request('POST', '/api/v1/ftp-users/bulk', { token: admin, body });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: `request body is larger than ${MAX_BULK_JSON_BYTES} bytes, the limit of this route`,
    });
  });

  it('keeps the small limit on every other route', async () => {
    const body = JSON.stringify({
      username: `${prefix}-other`,
      password: 'long enough pw',
      homeDir: 'y'.repeat(BODY_LIMIT_BYTES),
    });
    const res = await t.request('POST', '/api/v1/ftp-users', { token: admin, body });
    expect(res.status).toBe(413);
    expect(res.body.message).toBe(
      `request body is larger than ${BODY_LIMIT_BYTES} bytes, the limit of this route`,
    );
    // The same body is parsed (then refused by validation) on the bulk route.
    const bulk = await t.request('POST', '/api/v1/ftp-users/bulk', { token: admin, body });
    expect(bulk.status).toBe(400);
  });
});
