import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AdminRole } from '@wharf/contracts';
import { AdminEntity } from '@wharf/database';
import { DataSource } from 'typeorm';

import { hashApiKey, looksLikeApiKey } from '../api-keys/api-key-secret';
import type { Actor } from './actor';
import { roleSatisfies } from './roles.decorator';

/** What an access token carries. The role is re-read from the database on every request. */
export interface AccessTokenPayload {
  sub: string;
  /** admins.token_version at issue time; logout and password change bump it. */
  ver: number;
  username: string;
}

/** How often last_used_at of an API key is written at most. */
const LAST_USED_THROTTLE_SECONDS = 60;

/**
 * Turns request credentials into an Actor, or null. Never throws for bad
 * input: every failure is the same "unauthenticated" to the caller.
 */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger(CredentialsService.name);

  constructor(
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
  ) {}

  async authenticate(
    headers: { authorization?: string; apiKey?: string },
    ip: string,
  ): Promise<Actor | null> {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    if (headers.apiKey) return this.fromApiKey(headers.apiKey.trim(), ip);
    if (!bearer) return null;
    return looksLikeApiKey(bearer) ? this.fromApiKey(bearer, ip) : this.fromJwt(bearer, ip);
  }

  private async fromJwt(token: string, ip: string): Promise<Actor | null> {
    let payload: AccessTokenPayload;
    try {
      payload = await this.jwt.verifyAsync<AccessTokenPayload & object>(token, {
        algorithms: ['HS256'],
      });
    } catch {
      return null;
    }
    if (typeof payload.sub !== 'string' || typeof payload.ver !== 'number') return null;
    return this.adminActor(payload.sub, payload.ver, ip);
  }

  /**
   * The admin a token was issued to, while it is enabled and has not logged
   * out since (token_version unchanged); null otherwise.
   */
  async adminActor(adminId: string, tokenVersion: number, ip: string): Promise<Actor | null> {
    const admin = await this.dataSource
      .getRepository(AdminEntity)
      .findOne({ where: { id: adminId } })
      .catch(() => null);
    if (!admin || !admin.enabled || admin.tokenVersion !== tokenVersion) return null;
    return {
      kind: 'admin',
      adminId: admin.id,
      apiKeyId: null,
      username: admin.username,
      role: admin.role,
      ip,
    };
  }

  private async fromApiKey(key: string, ip: string): Promise<Actor | null> {
    const row = (await this.dataSource.query(
      `SELECT k.id, k.name, k.role, k.created_by_id, a.role AS creator_role, a.enabled AS creator_enabled
         FROM api_keys k LEFT JOIN admins a ON a.id = k.created_by_id
        WHERE k.secret_hash = $1 AND k.revoked_at IS NULL
          AND (k.expires_at IS NULL OR k.expires_at > now())`,
      [hashApiKey(key)],
    )) as {
      id: string;
      name: string;
      role: AdminRole;
      created_by_id: string | null;
      creator_role: AdminRole | null;
      creator_enabled: boolean | null;
    }[];
    const found = row[0];
    if (!found) return null;
    // A key never outlives or outranks the admin who made it, if that admin still exists.
    if (found.creator_enabled === false) return null;
    const role =
      found.creator_role && !roleSatisfies(found.creator_role, found.role)
        ? found.creator_role
        : found.role;
    await this.touch(found.id);
    return {
      kind: 'api-key',
      // Keys made with this key inherit the same creator, so capping and disabling follow through.
      adminId: found.created_by_id,
      apiKeyId: found.id,
      username: `key:${found.name}`,
      role,
      ip,
    };
  }

  private async touch(apiKeyId: string): Promise<void> {
    try {
      await this.dataSource.query(
        `UPDATE api_keys SET last_used_at = now()
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`,
        [apiKeyId, LAST_USED_THROTTLE_SECONDS],
      );
    } catch (error) {
      // Bookkeeping only: a failed write must not fail the request.
      this.logger.warn(`could not update last_used_at of api key ${apiKeyId}: ${String(error)}`);
    }
  }
}
