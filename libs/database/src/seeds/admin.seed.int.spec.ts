import { Client } from 'pg';
import type { DataSource } from 'typeorm';

import { createDataSource } from '../data-source';
import { AdminEntity } from '../entities/control-plane.entities';
import { verifyPassword } from '../passwords';
import { seedFirstAdmin } from './admin.seed';

/** seedFirstAdmin depends on the admins table being empty: a database of its own. */
describe('seedFirstAdmin', () => {
  let ds: DataSource;
  let name: string;
  const maintenance = () => {
    const u = new URL(process.env.WHARF_TEST_DATABASE_URL!);
    u.pathname = '/postgres';
    return u.toString();
  };
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: maintenance() });
    await c.connect();
    await c.query(sql);
    await c.end();
  };

  beforeAll(async () => {
    name = `${new URL(process.env.WHARF_TEST_DATABASE_URL!).pathname.slice(1)}_seed`.slice(0, 63);
    await admin(`CREATE DATABASE "${name}"`);
    const u = new URL(process.env.WHARF_TEST_DATABASE_URL!);
    u.pathname = `/${name}`;
    ds = createDataSource(u.toString(), { poolSize: 2 });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await ds.destroy();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('creates one superadmin with a generated password, once', async () => {
    const first = await seedFirstAdmin(ds, { username: 'admin' });
    expect(first).toEqual({ created: true, username: 'admin', password: expect.any(String) });
    expect(first.password!.length).toBeGreaterThanOrEqual(32);
    const row = await ds.getRepository(AdminEntity).findOneByOrFail({ username: 'admin' });
    expect(row.role).toBe('superadmin');
    expect(await verifyPassword(row.passwordHash, first.password!)).toBe(true);

    const second = await seedFirstAdmin(ds, { username: 'admin', password: 'given-password-123' });
    expect(second).toEqual({ created: false, username: 'admin' });
    expect(await ds.getRepository(AdminEntity).count()).toBe(1);
  });

  it('uses the given password and does not echo it', async () => {
    await ds.query('DELETE FROM admins');
    const r = await seedFirstAdmin(ds, { username: 'root', password: 'given-password-123' });
    expect(r).toEqual({ created: true, username: 'root' });
    const row = await ds.getRepository(AdminEntity).findOneByOrFail({ username: 'root' });
    expect(await verifyPassword(row.passwordHash, 'given-password-123')).toBe(true);
  });
});
