import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { verifyAgainstDummy, verifyPassword } from '@wharf/database';
import type {
  Authenticator,
  LoginRefusalReason,
  LoginRequest,
  LoginResult,
} from '@wharf/ftp-protocol';
import { createHomeDirectory, LocalFileSystem } from '@wharf/storage';

import { LivePrincipals } from '../policy/live-principals';
import { UserSessionPolicy } from '../policy/user-session.policy';
import { WorkerRegistryService } from '../registry/worker-registry.service';
import {
  SESSION_QUOTA,
  type SessionQuotaHandle,
  type SessionQuotaProvider,
  WORKER_CONFIG,
  WORKER_OPTIONS,
  type WorkerOptions,
} from '../worker.tokens';
import { addressAllowed } from './ip-allow-list';
import { LoginStore, type LoginUser } from './login-store';
import { VerifiedPasswordCache } from './verified-password-cache';

/** Heartbeats a session row's worker may miss before its sessions stop counting. */
const MISSED_BEATS_BEFORE_STALE = 3;

/** Texts of the refusals. The bad-credentials one never says whether the user exists. */
export const LOGIN_REPLIES = {
  badCredentials: 'Login incorrect.',
  disabled: 'Login refused: this account is disabled.',
  expired: 'Login refused: this account has expired.',
  ipNotAllowed: 'Login refused: not allowed from your address.',
  tlsRequired: 'Policy requires TLS: use AUTH TLS before logging in.',
  tooManySessions: 'Login refused: too many sessions for this account.',
  unavailable: 'Service temporarily unavailable, try again later.',
  homeUnavailable: 'Home directory unavailable, try again later.',
} as const;

class LoginTimeoutError extends Error {}

function refuse(reason: LoginRefusalReason, message: string): LoginResult {
  return { ok: false, reason, message };
}

/**
 * The engine's Authenticator, one per listener (it knows its server id).
 * Order matters for what a client can learn:
 *  - an unknown user is verified against a dummy hash: same reply, same cost
 *    as a wrong password;
 *  - allowedIps is checked before the password (also paying a dummy
 *    verification), so a client at a refused address cannot use us as a
 *    password oracle;
 *  - disabled / expired / TLS-required are told only after a correct
 *    password, so they do not reveal an account to strangers.
 * Every database step must succeed: otherwise 421, never a login from a cache.
 * The password cache only saves the argon2 work for a hash that is unchanged.
 */
/** How a server stores what its sessions upload. */
export interface ServerStorage {
  /** fsync each upload before its 226 (default true). */
  fsyncUploads?: boolean;
}

@Injectable()
export class FtpLoginService {
  private readonly logger = new Logger(FtpLoginService.name);

  constructor(
    private readonly store: LoginStore,
    private readonly passwords: VerifiedPasswordCache,
    private readonly principals: LivePrincipals,
    private readonly registry: WorkerRegistryService,
    @Inject(WORKER_CONFIG) private readonly config: WharfConfig,
    @Inject(WORKER_OPTIONS) private readonly options: WorkerOptions,
    @Optional() @Inject(SESSION_QUOTA) private readonly quota: SessionQuotaProvider | null = null,
  ) {}

  /** `storage.fsyncUploads`: the server's setting (servers.fsync_uploads), true when unset. */
  forServer(serverId: string, storage: ServerStorage = {}): Authenticator {
    return { authenticate: (request) => this.authenticate(serverId, request, storage) };
  }

  /** A user changed (nudge): the next login re-verifies the password. */
  forgetUser(userId: string): void {
    this.passwords.forget(userId);
  }

  async authenticate(
    serverId: string,
    request: LoginRequest,
    storage: ServerStorage = {},
  ): Promise<LoginResult> {
    let user: LoginUser | null;
    try {
      user = await this.withTimeout(this.store.findUser(request.username));
    } catch (error) {
      return this.unavailable('user lookup', error);
    }
    if (!user) {
      await verifyAgainstDummy(request.password);
      return refuse('bad-credentials', LOGIN_REPLIES.badCredentials);
    }
    if (!addressAllowed(user.settings.limits.allowedIps.value, request.client.address)) {
      await verifyAgainstDummy(request.password);
      return refuse('ip-not-allowed', LOGIN_REPLIES.ipNotAllowed);
    }
    if (!(await this.passwordMatches(user, request.password))) {
      return refuse('bad-credentials', LOGIN_REPLIES.badCredentials);
    }
    if (!user.enabled) return refuse('disabled', LOGIN_REPLIES.disabled);
    if (user.expiresAt && user.expiresAt.getTime() <= Date.now()) {
      return refuse('expired', LOGIN_REPLIES.expired);
    }
    const requireTls = user.settings.limits.requireTls.value;
    if (requireTls && !request.tls.secure) return refuse('tls-required', LOGIN_REPLIES.tlsRequired);

    let home: string;
    try {
      home = await createHomeDirectory(this.config.storageRoot, user.homeDir);
    } catch (error) {
      this.logger.error(`home of ${user.username} unavailable: ${String(error)}`);
      return refuse('unavailable', LOGIN_REPLIES.homeUnavailable);
    }

    const sessionId = request.sessionId;
    // Registered before the row is claimed: a session report running meanwhile keeps the user.
    this.principals.add({
      sessionId,
      serverId,
      userId: user.id,
      username: user.username,
      policy: null,
    });
    let admitted: boolean;
    let quota: SessionQuotaHandle | null = null;
    try {
      admitted = await this.withTimeout(
        this.store.claimSession({
          sessionId,
          workerId: this.registry.workerId,
          serverId,
          userId: user.id,
          username: user.username,
          client: request.client,
          tlsVersion: request.tls.version,
          maxSessions: user.settings.limits.maxSessions.value,
          staleAfterMs: MISSED_BEATS_BEFORE_STALE * this.config.worker.heartbeatSeconds * 1000,
        }),
      );
      if (admitted && this.quota) {
        quota = await this.withTimeout(this.quota.openSession({ userId: user.id, sessionId }));
      }
    } catch (error) {
      this.principals.remove(sessionId);
      return this.unavailable('session claim', error);
    }
    if (!admitted) {
      this.principals.remove(sessionId);
      return refuse('too-many-sessions', LOGIN_REPLIES.tooManySessions);
    }
    const policy = new UserSessionPolicy(
      user.id,
      user.settings,
      () => this.sessionEnded(sessionId),
      quota,
    );
    this.principals.setPolicy(sessionId, policy);
    const local = new LocalFileSystem(home, { fsync: storage.fsyncUploads ?? true });
    return {
      ok: true,
      principal: {
        userId: user.id,
        username: user.username,
        fileSystem: quota ? quota.wrapFileSystem(local) : local,
        policy,
        requireTls,
      },
    };
  }

  /** Logout, disconnect or REIN: forget the principal and free the maxSessions slot now. */
  private sessionEnded(sessionId: string): void {
    this.principals.remove(sessionId);
    this.store.releaseSession(sessionId, this.registry.workerId).catch((error: unknown) => {
      // The next session report removes the row instead.
      this.logger.warn(`session ${sessionId}: releasing its row failed (${String(error)})`);
    });
  }

  private async passwordMatches(user: LoginUser, password: string): Promise<boolean> {
    if (this.passwords.has(user.id, user.passwordHash, password)) return true;
    const ok = await verifyPassword(user.passwordHash, password);
    if (ok) this.passwords.remember(user.id, user.passwordHash, password);
    return ok;
  }

  private unavailable(step: string, error: unknown): LoginResult {
    const detail = error instanceof LoginTimeoutError ? 'timed out' : String(error);
    this.logger.warn(`login refused with 421: database ${step} failed (${detail})`);
    return refuse('unavailable', LOGIN_REPLIES.unavailable);
  }

  /** A hung database must not hold the client until its own login timeout. */
  private async withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new LoginTimeoutError()),
        this.options.loginDatabaseTimeoutMs,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      // The losing query may still fail later; nobody waits for it.
      work.catch(() => undefined);
    }
  }
}
