import { randomUUID } from 'node:crypto';

import { AdminRole, type LiveSession, WorkerJobName, workerQueueName } from '@wharf/contracts';
import { queueOptions } from '@wharf/database';
import { Queue } from 'bullmq';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

describe('sessions API (real PostgreSQL and queue)', () => {
  let api: ApiTestApp;
  const live = `w-live-${randomUUID().slice(0, 8)}`;
  const stale = `w-stale-${randomUUID().slice(0, 8)}`;
  const stopped = `w-stopped-${randomUUID().slice(0, 8)}`;

  const addWorker = (id: string, heartbeatAgoSeconds: number, status = 'running') =>
    api.dataSource.query(
      `INSERT INTO workers (id, hostname, version, started_at, last_heartbeat_at, status)
       VALUES ($1, 'host', '0.1.0', now(), now() - make_interval(secs => $2), $3)`,
      [id, heartbeatAgoSeconds, status],
    );
  const addSession = (workerId: string, id: string, username: string) =>
    api.dataSource.query(
      `INSERT INTO ftp_sessions (id, worker_id, user_id, username, client_ip, client_port, tls,
                                 login_at, current_command, bytes_transferred, transfer, updated_at)
       VALUES ($1, $2, $3, $4, '198.51.100.20', 51000, 'TLSv1.3', now(), 'STOR', 4096,
               '{"direction":"upload","path":"/in/x.bin","bytes":4096,"startedAt":"2026-11-25T12:00:00.000Z"}',
               now())`,
      [id, workerId, randomUUID(), username],
    );

  beforeAll(async () => {
    api = await createApiTestApp();
    await addWorker(live, 1);
    await addWorker(stale, 3600);
    await addWorker(stopped, 1, 'stopped');
    await addSession(live, `${live}-s1`, 'carol');
    await addSession(live, `${live}-s2`, 'dave');
    await addSession(stale, `${stale}-s1`, 'ghost');
    await addSession(stopped, `${stopped}-s1`, 'ghost');
  });
  afterAll(async () => {
    await api.close();
  });

  it('lists sessions of live workers only, with X-Total-Count', async () => {
    const response = await api.request<LiveSession[]>(
      'GET',
      '/api/v1/sessions?_sort=username&_order=ASC',
      {
        token: api.tokens[AdminRole.Auditor],
      },
    );
    expect(response.status).toBe(200);
    const mine = response.body.filter((s) => [live, stale, stopped].includes(s.workerId));
    expect(mine.map((s) => s.username)).toEqual(['carol', 'dave']);
    expect(mine[0]).toMatchObject({
      id: `${live}-s1`,
      clientIp: '198.51.100.20',
      clientPort: 51000,
      tls: 'TLSv1.3',
      currentCommand: 'STOR',
      bytesTransferred: 4096,
      transfer: { direction: 'upload', path: '/in/x.bin', bytes: 4096 },
    });
    const filtered = await api.request<LiveSession[]>('GET', `/api/v1/sessions?workerId=${stale}`, {
      token: api.tokens[AdminRole.Auditor],
    });
    expect(filtered.body).toEqual([]);
    expect(filtered.headers.get('x-total-count')).toBe('0');
    const byWorker = await api.request<LiveSession[]>('GET', `/api/v1/sessions?workerId=${live}`, {
      token: api.tokens[AdminRole.Auditor],
    });
    expect(byWorker.headers.get('x-total-count')).toBe('2');
  });

  it('kicks a session through the worker queue and audit-logs it; an auditor may not', async () => {
    const id = `${live}-s2`;
    const refused = await api.request('DELETE', `/api/v1/sessions/${id}`, {
      token: api.tokens[AdminRole.Auditor],
    });
    expect(refused.status).toBe(403);

    const response = await api.request('DELETE', `/api/v1/sessions/${id}`, {
      token: api.tokens[AdminRole.Admin],
    });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      sessionId: id,
      workerId: live,
      job: WorkerJobName.KickSession,
    });

    const queue = new Queue(
      workerQueueName(live),
      queueOptions(api.config, process.env.WHARF_TEST_DATABASE_URL!),
    );
    try {
      const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
      expect(jobs.map((j) => ({ name: j.name, data: j.data as unknown }))).toEqual([
        { name: WorkerJobName.KickSession, data: { sessionId: id } },
      ]);
    } finally {
      await queue.close();
    }

    const audit = (await api.dataSource.query(
      `SELECT actor_username, action, target_type FROM admin_audit_log WHERE target_id = $1`,
      [id],
    )) as { actor_username: string; action: string; target_type: string }[];
    expect(audit).toEqual([
      {
        actor_username: api.admins[AdminRole.Admin].username,
        action: 'kick',
        target_type: 'ftp-session',
      },
    ]);
  });

  it('answers 404 for an unknown session and for one of a dead worker', async () => {
    for (const id of ['no-such-session', `${stale}-s1`]) {
      const response = await api.request('DELETE', `/api/v1/sessions/${id}`, {
        token: api.tokens[AdminRole.Admin],
      });
      expect({ id, status: response.status }).toEqual({ id, status: 404 });
    }
  });
});
