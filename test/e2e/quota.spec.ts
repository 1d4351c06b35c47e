/*
 * Quotas end to end: the api in-process and two worker application contexts
 * (WorkerModule + QuotaModule, as the worker's main module composes them)
 * sharing one storage root, against the run's PostgreSQL and queue backend.
 * Users are provisioned over REST; usage is read back from the REST
 * representation of the user.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';

import { findFreePort } from '@wharf/database';
import { Client } from 'basic-ftp';

// The e2e suite composes the apps in one process on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type ApiTestApp, createApiTestApp } from '../../apps/api/src/testing/api-test-app';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { RawFtp } from '../../apps/ftp-worker/src/quota/quota.testing';
import {
  type InProcessWorker,
  startInProcessWorker,
  waitForFtpListener,
} from '../support/in-process-worker';
import { createPinnedServer, usageOf } from '../support/rest-fixtures';

jest.setTimeout(120_000);

const MiB = 1024 * 1024;

describe('quotas end to end (api + two workers)', () => {
  let api: ApiTestApp;
  let token: string;
  const workers: InProcessWorker[] = [];
  const dirs: string[] = [];
  let storageRoot: string;
  const suffix = randomBytes(3).toString('hex');
  const workerA = `e2e-qa-${suffix}`;
  const workerB = `e2e-qb-${suffix}`;
  let portA: number;
  let portB: number;
  const password = 'correct horse battery staple';

  async function startWorker(id: string): Promise<void> {
    workers.push(
      await startInProcessWorker({
        id,
        databaseUrl: process.env.WHARF_TEST_DATABASE_URL!,
        queuePrefix: api.config.queue.prefix,
        storageRoot,
        quotas: true,
      }),
    );
  }

  async function createUser(
    body: Record<string, unknown>,
  ): Promise<{ id: string; username: string }> {
    const res = await api.request('POST', '/api/v1/ftp-users', {
      token,
      body: { password, ...body },
    });
    if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; username: string };
  }

  async function connect(port: number, user: string): Promise<Client> {
    const client = new Client(10_000);
    await client.access({ host: '127.0.0.1', port, user, password });
    return client;
  }

  beforeAll(async () => {
    api = await createApiTestApp();
    token = api.tokens.admin;
    storageRoot = await mkdtemp(path.join(os.tmpdir(), 'wharf-e2e-quota-'));
    dirs.push(storageRoot);
    portA = await findFreePort();
    portB = await findFreePort();
    const passive = 46_000 + Math.floor(Math.random() * 60) * 100;
    await createPinnedServer(api, token, {
      name: `e2e-qa-${suffix}`,
      port: portA,
      passive,
      workerId: workerA,
    });
    await createPinnedServer(api, token, {
      name: `e2e-qb-${suffix}`,
      port: portB,
      passive: passive + 50,
      workerId: workerB,
    });
    await startWorker(workerA);
    await startWorker(workerB);
    await waitForFtpListener(portA);
    await waitForFtpListener(portB);
  });

  afterAll(async () => {
    for (const w of workers) await w.close();
    await api?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('answers 552 when an upload exceeds the quota mid-transfer, removes it, leaves usage unchanged', async () => {
    const user = await createUser({ username: `qx-${suffix}`, quotaBytes: 6 * MiB });
    const client = await connect(portA, user.username);
    try {
      await client.uploadFrom(Readable.from([Buffer.from('keep me')]), 'keep.txt');
    } finally {
      client.close();
    }
    expect(await usageOf(api, token, user.id)).toMatchObject({ usedBytes: 7, usedFiles: 1 });
    const raw = await RawFtp.login(portA, user.username, password);
    try {
      expect((await raw.store('big.bin', randomBytes(10 * MiB))).code).toBe(552);
      expect((await raw.store('keep.txt', randomBytes(10 * MiB))).code).toBe(552);
    } finally {
      raw.close();
    }
    const check = await connect(portB, user.username);
    try {
      expect((await check.list()).map((f) => f.name)).toEqual(['keep.txt']);
    } finally {
      check.close();
    }
    const homes = await readdir(storageRoot, { recursive: true });
    expect(
      homes.filter((name) => name.includes('big.bin') || name.includes('.wharf-upload-')),
    ).toEqual([]);
    expect(await usageOf(api, token, user.id)).toMatchObject({ usedBytes: 7, usedFiles: 1 });
  });

  it('never lets two concurrent uploads through two workers exceed one quota together', async () => {
    const user = await createUser({ username: `qc-${suffix}`, quotaBytes: 12 * MiB });
    const [ra, rb] = await Promise.all([
      RawFtp.login(portA, user.username, password),
      RawFtp.login(portB, user.username, password),
    ]);
    try {
      const replies = await Promise.all([
        ra.store('one.bin', randomBytes(8 * MiB)),
        rb.store('two.bin', randomBytes(8 * MiB)),
      ]);
      expect(replies.map((r) => r.code).sort()).toEqual([226, 552]);
    } finally {
      ra.close();
      rb.close();
    }
    const used = await usageOf(api, token, user.id);
    expect(used.usedBytes).toBe(8 * MiB);
    expect(used.usedBytes).toBeLessThanOrEqual(12 * MiB);
    expect(used.usedFiles).toBe(1);
  });

  it('answers AVBL with what the quota leaves', async () => {
    const user = await createUser({ username: `qa-${suffix}`, quotaBytes: 10 * MiB });
    const client = await connect(portB, user.username);
    try {
      await client.uploadFrom(Readable.from([Buffer.alloc(3 * MiB)]), 'f.bin');
      const avbl = await client.send('AVBL');
      expect(avbl.message).toBe(`213 ${7 * MiB}`);
    } finally {
      client.close();
    }
  });
});
