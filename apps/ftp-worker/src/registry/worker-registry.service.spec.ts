import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@wharf/config';
import { createDataSource, WorkerNode } from '@wharf/database';

import { WorkerModule } from '../worker.module';
import { workerIdFor } from './worker-identity';

describe('workerIdFor', () => {
  it('prefers the configured id', () => {
    expect(workerIdFor('worker-a', 'host')).toBe('worker-a');
  });

  it('derives a queue-safe id from the hostname', () => {
    expect(workerIdFor(undefined, 'FTP_Host.example.COM')).toBe('worker-ftp-host-example-com');
    expect(workerIdFor(undefined, '___')).toBe('worker-local');
  });
});

describe('WorkerRegistryService (real PostgreSQL)', () => {
  const databaseUrl = process.env.WHARF_TEST_DATABASE_URL!;
  const id = `worker-spec-${process.pid}`;

  it('registers at boot, heartbeats, and says stopped on shutdown', async () => {
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      WHARF_WORKER_ID: id,
      WHARF_HEARTBEAT_SECONDS: '1',
    });
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
      logger: false,
    });
    await app.init();
    const probe = await createDataSource(databaseUrl).initialize();
    try {
      const registered = await probe.getRepository(WorkerNode).findOneByOrFail({ id });
      expect(registered.status).toBe('running');
      await new Promise((r) => setTimeout(r, 1300));
      const beaten = await probe.getRepository(WorkerNode).findOneByOrFail({ id });
      expect(beaten.lastHeartbeatAt.getTime()).toBeGreaterThan(
        registered.lastHeartbeatAt.getTime(),
      );
      await app.close();
      const stopped = await probe.getRepository(WorkerNode).findOneByOrFail({ id });
      expect(stopped.status).toBe('stopped');
    } finally {
      await probe.destroy();
    }
  });
});
