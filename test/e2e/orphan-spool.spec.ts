/*
 * A worker replaced under a new id leaves its unshipped audit events in
 * `<spool root>/<old id>`. A live worker on the same volume takes that spool
 * over once the old worker is gone (no fresh heartbeat) and ships it: the
 * events reach transfer_logs exactly once, the directory disappears, and the
 * spool of a worker that is still alive is left alone. Real api, worker,
 * PostgreSQL and queue backend.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import type { TransferEventRecord } from '@wharf/contracts';

// The e2e suites compose the apps in one process on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type ApiTestApp, createApiTestApp } from '../../apps/api/src/testing/api-test-app';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { OrphanSpoolsService } from '../../apps/ftp-worker/src/audit/orphan-spools.service';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { transferEvent } from '../../apps/ftp-worker/src/audit/transfer-event.builder';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { TransferEventSpool } from '../../apps/ftp-worker/src/audit/transfer-event-spool';
import { eventually, type InProcessWorker, startInProcessWorker } from '../support/in-process-worker';

jest.setTimeout(90_000);

describe('audit spool of a worker gone under another id', () => {
  let api: ApiTestApp;
  let worker: InProcessWorker;
  let storageRoot: string;
  const suffix = randomBytes(3).toString('hex');
  const gone = `e2e-gone-${suffix}`;
  const alive = `e2e-alive-${suffix}`;

  beforeAll(async () => {
    api = await createApiTestApp();
    storageRoot = await mkdtemp(path.join(os.tmpdir(), 'wharf-orphan-e2e-'));
    worker = await startInProcessWorker({
      id: `e2e-adopter-${suffix}`,
      databaseUrl: process.env.WHARF_TEST_DATABASE_URL!,
      queuePrefix: api.config.queue.prefix,
      storageRoot,
    });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await rm(storageRoot, { recursive: true, force: true });
  });

  /** A spool left with unshipped events, untouched for ten minutes. */
  async function leaveSpool(workerId: string, count: number): Promise<TransferEventRecord[]> {
    const dir = path.join(worker.dataDir, 'spool', workerId);
    const spool = new TransferEventSpool({ dir });
    await spool.open();
    const events = Array.from({ length: count }, (_, i) =>
      transferEvent({ workerId, username: `orphan-${suffix}`, path: `/orphan-${i}.bin` }),
    );
    for (const e of events) await spool.append(e);
    await spool.close();
    const then = new Date(Date.now() - 10 * 60_000);
    for (const entry of await readdir(dir)) await utimes(path.join(dir, entry), then, then);
    await utimes(dir, then, then);
    return events;
  }

  it('ships the old spool exactly once and leaves a live worker\'s alone', async () => {
    // `gone` died a minute ago (its heartbeat stopped); `alive` beats.
    await api.dataSource.query(
      `INSERT INTO workers (id, hostname, version, started_at, last_heartbeat_at, status)
       VALUES ($1, 'old-host', 'v', now() - interval '1 hour', now() - interval '1 minute', 'running'),
              ($2, 'other', 'v', now() - interval '1 hour', now() + interval '1 hour', 'running')`,
      [gone, alive],
    );
    const events = await leaveSpool(gone, 12);
    await leaveSpool(alive, 3);

    const service = worker.app.get(OrphanSpoolsService);
    await service.scan();
    await service.scan();

    const rows = await eventually(
      async () => {
        const found = (await api.dataSource.query(
          `SELECT id::text AS id FROM transfer_logs WHERE username = $1 ORDER BY id`,
          [`orphan-${suffix}`],
        )) as { id: string }[];
        return found.length >= 12 ? found : undefined;
      },
      20_000,
      'the orphaned events in transfer_logs',
    );
    expect(rows.map((r) => r.id)).toEqual(events.map((e) => e.id).sort());
    const spoolDirs = await readdir(path.join(worker.dataDir, 'spool'));
    expect(spoolDirs).not.toContain(gone);
    expect(spoolDirs.filter((d) => d.includes(gone))).toEqual([]);
    expect(spoolDirs).toContain(alive);
  });
});
