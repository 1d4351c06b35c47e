import { randomUUID } from 'node:crypto';

import { createDataSource } from '@wharf/database';
import type { DataSource } from 'typeorm';

import { LoginStore, type SessionClaim } from './login-store';

/** LoginStore's session rows against the run's PostgreSQL (the maxSessions counter). */
describe('LoginStore sessions (PostgreSQL)', () => {
  let ds: DataSource;
  let store: LoginStore;
  const workerId = `login-store-${randomUUID().slice(0, 8)}`;

  const claim = (sessionId: string, userId: string): SessionClaim => ({
    sessionId,
    workerId,
    serverId: randomUUID(),
    userId,
    username: 'someone',
    client: { address: '127.0.0.1', port: 40000 },
    tlsVersion: null,
    maxSessions: 1,
    staleAfterMs: 60_000,
  });

  beforeAll(async () => {
    ds = await createDataSource(process.env.WHARF_TEST_DATABASE_URL!, {
      poolSize: 2,
    }).initialize();
    store = new LoginStore(ds);
    await ds.query(
      `INSERT INTO workers (id, hostname, version, started_at, last_heartbeat_at, status)
       VALUES ($1, 'test', 'test', now(), now(), 'running')`,
      [workerId],
    );
  });

  afterAll(async () => {
    await ds.query(`DELETE FROM workers WHERE id = $1`, [workerId]);
    await ds.destroy();
  });

  it('admits a second session only once the first one is released', async () => {
    const [user] = (await ds.query(
      `INSERT INTO ftp_users (username, password_hash, home_dir) VALUES ($1, 'x', $1) RETURNING id`,
      [`ls-${randomUUID().slice(0, 8)}`],
    )) as { id: string }[];
    const [s1, s2] = [`${workerId}-1`, `${workerId}-2`];
    expect(await store.claimSession(claim(s1, user!.id))).toBe(true);
    expect(await store.claimSession(claim(s2, user!.id))).toBe(false);
    // Another worker's row of the same id is not this worker's to release.
    await store.releaseSession(s1, 'some-other-worker');
    expect(await store.claimSession(claim(s2, user!.id))).toBe(false);
    await store.releaseSession(s1, workerId);
    expect(await store.claimSession(claim(s2, user!.id))).toBe(true);
  });
});
