import { type FileHandle, mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { loadConfig } from '@wharf/config';
import { hashPassword, type LimitValues, resolveEffectiveSettings } from '@wharf/database';
import type { FileSystem, LoginRequest } from '@wharf/ftp-protocol';

import { LivePrincipals } from '../policy/live-principals';
import type { WorkerRegistryService } from '../registry/worker-registry.service';
import { DEFAULT_WORKER_OPTIONS, type SessionQuotaProvider } from '../worker.tokens';
import { FtpLoginService, LOGIN_REPLIES } from './ftp-login.service';
import type { LoginStore, LoginUser, SessionClaim } from './login-store';
import { VerifiedPasswordCache } from './verified-password-cache';

const NO_LIMITS: LimitValues = {
  quotaBytes: null,
  quotaFiles: null,
  uploadQuotaBytes: null,
  downloadQuotaBytes: null,
  quotaPeriod: null,
  uploadBandwidth: null,
  downloadBandwidth: null,
  maxSessions: null,
  allowedIps: null,
  requireTls: null,
};

class FakeStore {
  users = new Map<string, LoginUser>();
  claims: SessionClaim[] = [];
  failing = false;
  admit = true;
  lookups = 0;

  findUser(username: string): Promise<LoginUser | null> {
    this.lookups++;
    if (this.failing) return Promise.reject(new Error('connect ECONNREFUSED'));
    return Promise.resolve(this.users.get(username.toLowerCase()) ?? null);
  }

  claimSession(claim: SessionClaim): Promise<boolean> {
    if (this.failing) return Promise.reject(new Error('connect ECONNREFUSED'));
    this.claims.push(claim);
    return Promise.resolve(this.admit);
  }

  released: string[] = [];

  releaseSession(sessionId: string, workerId: string): Promise<void> {
    if (this.failing) return Promise.reject(new Error('connect ECONNREFUSED'));
    this.released.push(`${workerId}/${sessionId}`);
    return Promise.resolve();
  }
}

describe('FtpLoginService', () => {
  let root: string;
  let store: FakeStore;
  let cache: VerifiedPasswordCache;
  let principals: LivePrincipals;
  let service: FtpLoginService;
  let hash: string;

  const request = (overrides: Partial<LoginRequest> = {}): LoginRequest => ({
    sessionId: 'session-1',
    username: 'alice',
    password: 'right password',
    client: { address: '127.0.0.1', port: 40000 },
    tls: { secure: false, version: null },
    host: null,
    ...overrides,
  });

  function addUser(overrides: Partial<LoginUser> = {}, limits: Partial<LimitValues> = {}) {
    const user: LoginUser = {
      id: 'user-1',
      username: 'alice',
      passwordHash: hash,
      enabled: true,
      expiresAt: null,
      homeDir: 'customers/alice',
      settings: resolveEffectiveSettings(
        { ...NO_LIMITS, ...limits, rules: [{ path: '/', allow: [] }] },
        [],
      ),
      ...overrides,
    };
    store.users.set(user.username.toLowerCase(), user);
    return user;
  }

  beforeAll(async () => {
    hash = await hashPassword('right password');
  });

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'wharf-login-'));
    store = new FakeStore();
    cache = new VerifiedPasswordCache();
    principals = new LivePrincipals();
    const config = loadConfig({ WHARF_STORAGE_ROOT: root }, root);
    service = new FtpLoginService(
      store as unknown as LoginStore,
      cache,
      principals,
      { workerId: 'worker-1' } as WorkerRegistryService,
      config,
      { ...DEFAULT_WORKER_OPTIONS, loginDatabaseTimeoutMs: 200 },
    );
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('logs in, creates the home, claims the session row and registers the principal', async () => {
    addUser({}, { maxSessions: 2 });
    const result = await service.authenticate('server-1', request());
    expect(result.ok).toBe(true);
    expect((await stat(path.join(root, 'customers/alice'))).isDirectory()).toBe(true);
    expect(store.claims).toEqual([
      expect.objectContaining({ sessionId: 'session-1', serverId: 'server-1', maxSessions: 2 }),
    ]);
    expect(principals.get('session-1')?.userId).toBe('user-1');
  });

  it("gives the session a FileSystem that fsyncs uploads unless the server's setting is off", async () => {
    addUser();
    // Every FileHandle shares one prototype: count the fsyncs an upload makes.
    const probe = await open(path.join(root, 'probe'), 'w');
    const sync = jest.spyOn(Object.getPrototypeOf(probe) as FileHandle, 'sync');
    await probe.close();
    const uploadThrough = async (fileSystem: FileSystem, name: string) => {
      const handle = await fileSystem.write(name);
      await new Promise<void>((resolve, reject) =>
        handle.stream.end(Buffer.from('data'), () => resolve()).on('error', reject),
      );
      await handle.commit();
    };
    try {
      const durable = await service.authenticate('s', request());
      if (!durable.ok) throw new Error('login failed');
      await uploadThrough(durable.principal.fileSystem, '/durable.txt');
      expect(sync).toHaveBeenCalled();

      sync.mockClear();
      const fast = await service.authenticate('s', request({ sessionId: 'session-2' }), {
        fsyncUploads: false,
      });
      if (!fast.ok) throw new Error('login failed');
      await uploadThrough(fast.principal.fileSystem, '/fast.txt');
      expect(sync).not.toHaveBeenCalled();
      expect(await readFile(path.join(root, 'customers/alice/fast.txt'), 'utf8')).toBe('data');
    } finally {
      sync.mockRestore();
    }
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    addUser();
    const wrong = await service.authenticate('s', request({ password: 'nope' }));
    const unknown = await service.authenticate('s', request({ username: 'mallory' }));
    expect(wrong).toEqual({ ok: false, reason: 'bad-credentials', message: 'Login incorrect.' });
    expect(unknown).toEqual(wrong);
  });

  it('refuses an address outside allowedIps before looking at the password', async () => {
    addUser({}, { allowedIps: ['10.0.0.0/8'] });
    for (const password of ['right password', 'wrong']) {
      expect(await service.authenticate('s', request({ password }))).toMatchObject({
        reason: 'ip-not-allowed',
        message: LOGIN_REPLIES.ipNotAllowed,
      });
    }
    expect(
      (
        await service.authenticate(
          's',
          request({ client: { address: '::ffff:10.1.2.3', port: 1 } }),
        )
      ).ok,
    ).toBe(true);
  });

  it('tells disabled, expired and TLS-required only after a correct password', async () => {
    addUser({ enabled: false });
    expect(await service.authenticate('s', request({ password: 'x' }))).toMatchObject({
      reason: 'bad-credentials',
    });
    expect(await service.authenticate('s', request())).toMatchObject({ reason: 'disabled' });
    addUser({ expiresAt: new Date(Date.now() - 1000) });
    expect(await service.authenticate('s', request())).toMatchObject({ reason: 'expired' });
    addUser({}, { requireTls: true });
    expect(await service.authenticate('s', request())).toMatchObject({ reason: 'tls-required' });
    const secure = await service.authenticate(
      's',
      request({ tls: { secure: true, version: 'TLSv1.3' } }),
    );
    expect(secure.ok && secure.principal.requireTls).toBe(true);
  });

  it('answers 421 (unavailable) when the database fails, even with the password cached', async () => {
    addUser();
    expect((await service.authenticate('s', request())).ok).toBe(true);
    store.failing = true;
    expect(await service.authenticate('s', request({ sessionId: 'session-2' }))).toEqual({
      ok: false,
      reason: 'unavailable',
      message: LOGIN_REPLIES.unavailable,
    });
    expect(principals.get('session-2')).toBeUndefined();
  });

  it('answers 421 when the database hangs', async () => {
    addUser();
    store.findUser = () => new Promise(() => undefined);
    const started = Date.now();
    expect(await service.authenticate('s', request())).toMatchObject({ reason: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('uses the verified-password cache only while the stored hash is unchanged', async () => {
    addUser();
    expect((await service.authenticate('s', request())).ok).toBe(true);
    expect(cache.has('user-1', hash, 'right password')).toBe(true);
    // The password was changed: the cached verification no longer applies.
    addUser({ passwordHash: await hashPassword('new password') });
    expect(await service.authenticate('s', request())).toMatchObject({
      reason: 'bad-credentials',
    });
    service.forgetUser('user-1');
    expect(cache.size).toBe(0);
  });

  const serviceWithQuota = (provider: SessionQuotaProvider) =>
    new FtpLoginService(
      store as unknown as LoginStore,
      cache,
      principals,
      { workerId: 'worker-1' } as WorkerRegistryService,
      loadConfig({ WHARF_STORAGE_ROOT: root }, root),
      DEFAULT_WORKER_OPTIONS,
      provider,
    );

  it('plugs a session quota in through the SESSION_QUOTA seam', async () => {
    addUser();
    const calls: string[] = [];
    const wrapped = { wrapped: true } as unknown as FileSystem;
    const provider: SessionQuotaProvider = {
      openSession: ({ userId, sessionId }) => {
        calls.push(`open ${userId} ${sessionId}`);
        return Promise.resolve({
          wrapFileSystem: () => wrapped,
          policyHooks: () => ({
            reserve: (bytes: number) => {
              calls.push(`reserve ${bytes}`);
              return Promise.resolve(true);
            },
            release: () => undefined,
          }),
          close: () => {
            calls.push('close');
            return Promise.resolve();
          },
        });
      },
    };
    const withQuota = serviceWithQuota(provider);
    const result = await withQuota.authenticate('s', request());
    if (!result.ok) throw new Error(result.message);
    expect(result.principal.fileSystem).toBe(wrapped);
    await expect(result.principal.policy!.reserve!(100, '/f')).resolves.toBe(true);
    await result.principal.policy!.onLogout!();
    expect(calls).toEqual(['open user-1 session-1', 'reserve 100', 'close']);
    expect(principals.get('session-1')).toBeUndefined();
  });

  it('gives the engine no reservation hooks when the session quota has none (no byte limit)', async () => {
    addUser();
    const wrapped = { wrapped: true } as unknown as FileSystem;
    let closed = false;
    const provider: SessionQuotaProvider = {
      openSession: () =>
        Promise.resolve({
          wrapFileSystem: () => wrapped,
          policyHooks: () => null,
          close: () => {
            closed = true;
            return Promise.resolve();
          },
        }),
    };
    const withQuota = serviceWithQuota(provider);
    const result = await withQuota.authenticate('s', request());
    if (!result.ok) throw new Error(result.message);
    expect(result.principal.fileSystem).toBe(wrapped);
    expect(result.principal.policy?.reserve).toBeUndefined();
    expect(result.principal.policy?.release).toBeUndefined();
    await result.principal.policy!.onLogout!();
    expect(closed).toBe(true);
  });

  it('has no quota hooks without a provider', async () => {
    addUser();
    const result = await service.authenticate('s', request());
    if (!result.ok) throw new Error(result.message);
    expect(result.principal.policy?.reserve).toBeUndefined();
  });

  it('frees the session row as soon as the session ends, so a reconnect under maxSessions is admitted', async () => {
    addUser({}, { maxSessions: 1 });
    const result = await service.authenticate('s', request());
    if (!result.ok) throw new Error(result.message);
    expect(store.released).toEqual([]);
    await result.principal.policy!.onLogout!();
    expect(store.released).toEqual(['worker-1/session-1']);
    expect(principals.get('session-1')).toBeUndefined();
  });

  it('ends a session even when its row cannot be removed (the next session report does it)', async () => {
    addUser();
    const result = await service.authenticate('s', request());
    if (!result.ok) throw new Error(result.message);
    store.failing = true;
    await expect(result.principal.policy!.onLogout!()).resolves.toBeUndefined();
    expect(principals.get('session-1')).toBeUndefined();
  });

  it('refuses when the user has too many sessions and forgets the principal', async () => {
    addUser({}, { maxSessions: 1 });
    store.admit = false;
    expect(await service.authenticate('s', request())).toMatchObject({
      reason: 'too-many-sessions',
      message: LOGIN_REPLIES.tooManySessions,
    });
    expect(principals.get('session-1')).toBeUndefined();
  });
});
