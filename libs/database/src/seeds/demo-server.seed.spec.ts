import { createPrivateKey, X509Certificate } from 'node:crypto';

import { Client } from 'pg';
import type { DataSource } from 'typeorm';

import { createDataSource } from '../data-source';
import { FtpServer } from '../entities/ftp-server.entity';
import { seedDemoServer } from './demo-server.seed';

describe('seedDemoServer', () => {
  let ds: DataSource;

  // "When no server exists" is global state: this suite gets a database of its own
  // so it neither sees nor deletes other suites' servers.
  const base = new URL(process.env.WHARF_TEST_DATABASE_URL!);
  const name = `${base.pathname.slice(1)}_seed${process.pid}`.slice(0, 63);
  const maintenance = async (sql: string) => {
    const url = new URL(base);
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(sql);
    await client.end();
  };

  beforeAll(async () => {
    await maintenance(`CREATE DATABASE "${name}"`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    ds = createDataSource(url.toString(), { poolSize: 2 });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await ds.destroy();
    await maintenance(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('creates an explicit-FTPS demo server with a matching self-signed pair, once', async () => {
    const first = await seedDemoServer(ds, {
      port: 2121,
      passivePorts: { min: 30000, max: 30099 },
      publicHost: 'ftp.example.test',
    });
    expect(first).toMatchObject({ created: true, name: 'demo', port: 2121, tlsMode: 'explicit' });

    const server = await ds.getRepository(FtpServer).findOneByOrFail({ name: 'demo' });
    expect(server).toMatchObject({
      tlsMode: 'explicit',
      bindAddress: '0.0.0.0',
      passivePortMin: 30000,
      passivePortMax: 30099,
      publicHost: 'ftp.example.test',
      enabled: true,
    });
    const cert = new X509Certificate(server.certPem!);
    expect(cert.checkPrivateKey(createPrivateKey(server.keyPem!))).toBe(true);
    expect(cert.subjectAltName).toContain('DNS:ftp.example.test');
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 365 * 24 * 3600 * 1000);

    const second = await seedDemoServer(ds, {
      port: 2121,
      passivePorts: { min: 30000, max: 30099 },
    });
    expect(second).toEqual({
      created: false,
      reason: 'servers-exist',
      existing: 1,
      serverId: server.id,
      name: 'demo',
      port: 2121,
      tlsMode: 'explicit',
    });
  });
});
