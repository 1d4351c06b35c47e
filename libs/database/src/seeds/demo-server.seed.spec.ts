import { createPrivateKey, X509Certificate } from 'node:crypto';

import type { DataSource } from 'typeorm';

import { createDataSource } from '../data-source';
import { FtpServer } from '../entities/ftp-server.entity';
import { seedDemoServer } from './demo-server.seed';

describe('seedDemoServer', () => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = createDataSource(process.env.WHARF_TEST_DATABASE_URL!, { poolSize: 2 });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds.destroy();
  });

  it('creates an explicit-FTPS demo server with a matching self-signed pair, once', async () => {
    // Other suites share the run database: only assert on a clean servers table.
    await ds.query(`DELETE FROM servers`);
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
    expect(second).toEqual({ created: false, reason: 'servers-exist', existing: 1 });
    await ds.query(`DELETE FROM servers`);
  });
});
