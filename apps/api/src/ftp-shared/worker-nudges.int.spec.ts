import { AdminRole, WorkerJobName, workerQueueName } from '@wharf/contracts';
import { queueOptions, WorkerNode } from '@wharf/database';
import { Queue } from 'bullmq';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('worker nudges after FTP resource changes', () => {
  let t: ApiTestApp;
  let queue: Queue;
  let pinnedQueue: Queue;
  const workerId = `nudge-${process.pid}-${Date.now().toString(36)}`;
  const pinnedId = `${workerId}-pinned`;

  beforeAll(async () => {
    t = await createApiTestApp();
    const now = new Date();
    await t.dataSource.getRepository(WorkerNode).insert(
      [workerId, pinnedId].map((id) => ({
        id,
        hostname: 'h',
        version: '0.1.0',
        startedAt: now,
        lastHeartbeatAt: now,
        status: 'running' as const,
        sessionCount: 0,
        meta: {},
      })),
    );
    const options = queueOptions(t.config, process.env.WHARF_TEST_DATABASE_URL!);
    queue = new Queue(workerQueueName(workerId), options);
    pinnedQueue = new Queue(workerQueueName(pinnedId), options);
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await pinnedQueue?.obliterate({ force: true });
    await queue?.close();
    await pinnedQueue?.close();
    await t?.close();
  });

  const jobs = async (q: Queue) =>
    (await q.getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => ({
      name: j.name,
      data: j.data as unknown,
    }));

  it('sends user-changed to every live worker when a user is disabled or deleted', async () => {
    const token = t.tokens[AdminRole.Admin];
    const created = await t.request('POST', '/api/v1/ftp-users', {
      token,
      body: { username: `${workerId}-u`, password: 'long enough pw' },
    });
    const userId = created.body.id as string;
    await t.request('PATCH', `/api/v1/ftp-users/${userId}`, { token, body: { enabled: false } });
    await t.request('DELETE', `/api/v1/ftp-users/${userId}`, { token });
    const got = (await jobs(queue)).filter(
      (j) => (j.data as { userId?: string }).userId === userId,
    );
    expect(got).toEqual(
      expect.arrayContaining([
        { name: WorkerJobName.UserChanged, data: { userId, disabled: true } },
      ]),
    );
    expect(got).toHaveLength(2);
  });

  it('sends server-changed to the pinned workers only, or to all when unpinned', async () => {
    const token = t.tokens[AdminRole.Admin];
    const pinned = await t.request('POST', '/api/v1/servers', {
      token,
      body: { name: `${workerId}-p`, port: 10000 + (process.pid % 10000), workerIds: [pinnedId] },
    });
    expect(pinned.status).toBe(201);
    const serverId = pinned.body.id as string;
    const forServer = (list: { data: unknown }[]) =>
      list.filter((j) => (j.data as { serverId?: string }).serverId === serverId);
    expect(forServer(await jobs(pinnedQueue))).toEqual([
      { name: WorkerJobName.ServerChanged, data: { serverId } },
    ]);
    expect(forServer(await jobs(queue))).toEqual([]);

    await t.request('PATCH', `/api/v1/servers/${serverId}`, { token, body: { workerIds: [] } });
    expect(forServer(await jobs(queue))).toHaveLength(1);
    expect(forServer(await jobs(pinnedQueue))).toHaveLength(2);
  });
});
