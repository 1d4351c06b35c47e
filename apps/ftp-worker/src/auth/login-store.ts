import { Injectable } from '@nestjs/common';
import { type EffectiveSettings, loadEffectiveFtpUser } from '@wharf/database';
import { DataSource } from 'typeorm';

/** What a login needs to know about a user, read fresh from PostgreSQL each time. */
export interface LoginUser {
  id: string;
  username: string;
  passwordHash: string;
  enabled: boolean;
  expiresAt: Date | null;
  homeDir: string;
  settings: EffectiveSettings;
}

export interface SessionClaim {
  sessionId: string;
  workerId: string;
  serverId: string;
  userId: string;
  username: string;
  client: { address: string; port: number };
  tlsVersion: string | null;
  /** null = no limit. */
  maxSessions: number | null;
  /** Rows of workers whose heartbeat is older than this are not counted (dead workers). */
  staleAfterMs: number;
}

/**
 * The worker's reads and writes for logins. Every method goes to the
 * database: there is no cached user (principle 4, "never a login from a
 * cache"); a failure here becomes a 421 in the authenticator.
 */
@Injectable()
export class LoginStore {
  constructor(private readonly dataSource: DataSource) {}

  findUser(username: string): Promise<LoginUser | null> {
    return this.load({ username });
  }

  findUserById(userId: string): Promise<LoginUser | null> {
    return this.load({ id: userId });
  }

  /**
   * Admits one more session of a user across all workers: under a per-user
   * advisory lock, counts the live sessions in `ftp_sessions` (only rows of
   * workers with a fresh heartbeat, so the count heals when a worker dies),
   * refuses when the limit is reached, else inserts this session's row at
   * once so that a concurrent login on another worker counts it. Also stamps
   * last_login_at. Returns false when the limit is reached.
   */
  async claimSession(claim: SessionClaim): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (claim.maxSessions !== null) {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `wharf:ftp-user-sessions:${claim.userId}`,
        ]);
        const rows = (await manager.query(
          `SELECT count(*)::int AS live
             FROM "ftp_sessions" s
             JOIN "workers" w ON w."id" = s."worker_id"
            WHERE s."user_id" = $1
              AND s."id" <> $2
              AND w."last_heartbeat_at" > now() - make_interval(secs => $3)
              AND w."status" IN ('starting', 'running', 'draining')`,
          [claim.userId, claim.sessionId, claim.staleAfterMs / 1000],
        )) as { live: number }[];
        if ((rows[0]?.live ?? 0) >= claim.maxSessions) return false;
      }
      await manager.query(
        `INSERT INTO "ftp_sessions"
           ("id", "worker_id", "server_id", "user_id", "username", "client_ip", "client_port",
            "tls", "login_at", "updated_at")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now())
         ON CONFLICT ("id") DO UPDATE SET
           "user_id" = EXCLUDED."user_id", "username" = EXCLUDED."username",
           "login_at" = EXCLUDED."login_at", "updated_at" = EXCLUDED."updated_at"`,
        [
          claim.sessionId,
          claim.workerId,
          claim.serverId,
          claim.userId,
          claim.username,
          claim.client.address,
          claim.client.port,
          claim.tlsVersion,
        ],
      );
      await manager.query(`UPDATE "ftp_users" SET "last_login_at" = now() WHERE "id" = $1`, [
        claim.userId,
      ]);
      return true;
    });
  }

  /**
   * Removes an ended session's row at once, so the user's next login (an
   * immediate reconnect under maxSessions) is not counted against a session
   * that is gone. The SessionReporter would drop the row with its next report
   * anyway; this only closes that window.
   */
  async releaseSession(sessionId: string, workerId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM "ftp_sessions" WHERE "id" = $1 AND "worker_id" = $2`, [
      sessionId,
      workerId,
    ]);
  }

  /** The same loader and merge as the API's GET /ftp-users/:id/effective. */
  private async load(by: { id: string } | { username: string }): Promise<LoginUser | null> {
    const found = await loadEffectiveFtpUser(this.dataSource.manager, by);
    if (!found) return null;
    const { user, settings } = found;
    return {
      id: user.id,
      username: user.username,
      passwordHash: user.passwordHash,
      enabled: user.enabled,
      expiresAt: user.expiresAt,
      homeDir: user.homeDir,
      settings,
    };
  }
}
