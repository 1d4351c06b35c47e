import { createHash, createHmac } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AdminEntity } from '@wharf/database';
import { DataSource } from 'typeorm';

import { validationFailed } from '../common/errors';
import { JWT_SECRET } from '../config.token';
import type { Actor } from './actor';
import { CredentialsService } from './credentials.service';
import { DOWNLOAD_TOKEN_PARAM, DOWNLOAD_TOKEN_TTL_SECONDS, DownloadPurpose } from './download-token';

interface DownloadTokenPayload {
  sub: string;
  /** admins.token_version at issue time: logging out revokes pending download links too. */
  ver: number;
  pur: DownloadPurpose;
  /** SHA-256 of the canonical query the link was issued for. */
  qh: string;
}

export type DownloadQuery = Record<string, unknown>;

/**
 * The query as sorted `[name, values[]]` pairs, without the token itself. It is
 * what the URL carries and what Express parses back, so issue and verify hash
 * the same thing, and a changed, added or removed parameter breaks the token.
 */
function canonicalQuery(query: DownloadQuery): [string, string[]][] {
  return Object.keys(query)
    .filter((name) => name !== DOWNLOAD_TOKEN_PARAM)
    .sort()
    .map((name): [string, string[]] => {
      const value = query[name];
      const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
      return [name, values.map(String)];
    })
    .filter(([, values]) => values.length > 0);
}

const SCALAR = new Set(['string', 'number', 'boolean']);

/**
 * A JSON body of filters as Express parses the same parameters from a URL
 * (one value: a string; repeated: an array), so the route that validates
 * the link's query sees exactly what the download will send.
 */
export function asUrlQuery(body: DownloadQuery): Record<string, string | string[]> {
  const errors = Object.entries(body)
    .filter(([, value]) => {
      const values: unknown[] = Array.isArray(value) ? value : [value];
      return values.some((v) => v !== null && v !== undefined && !SCALAR.has(typeof v));
    })
    .map(([field]) => ({ field, message: `${field} must be a string or a list of strings` }));
  if (errors.length) throw validationFailed(errors);
  return Object.fromEntries(
    canonicalQuery(body).map(([name, values]) => [name, values.length === 1 ? values[0]! : values]),
  );
}

function queryHash(query: DownloadQuery): string {
  return createHash('sha256').update(JSON.stringify(canonicalQuery(query))).digest('base64url');
}

/**
 * Signed, short-lived links for downloads the browser streams to disk by
 * itself (a plain link cannot send the Authorization header). A token is bound
 * to the admin, one purpose and the exact query; it is signed with a key
 * derived from the JWT secret, so it is never accepted as an access token,
 * and an access token is never accepted as a download token.
 */
@Injectable()
export class DownloadTokenService {
  private readonly secret: string;

  constructor(
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
    private readonly credentials: CredentialsService,
    @Inject(JWT_SECRET) jwtSecret: string,
  ) {
    this.secret = createHmac('sha256', jwtSecret).update('wharf download token').digest('hex');
  }

  /** `path?query&token=…`, valid for DOWNLOAD_TOKEN_TTL_SECONDS. */
  async link(
    actor: Actor,
    purpose: DownloadPurpose,
    path: string,
    query: DownloadQuery,
  ): Promise<{ url: string; expiresAt: string }> {
    if (actor.kind !== 'admin' || !actor.adminId) {
      throw validationFailed([
        {
          field: 'authorization',
          message: 'Download links are for signed-in admins; API keys call the download route directly',
        },
      ]);
    }
    const admin = await this.dataSource
      .getRepository(AdminEntity)
      .findOneOrFail({ where: { id: actor.adminId } });
    const payload: DownloadTokenPayload = {
      sub: admin.id,
      ver: admin.tokenVersion,
      pur: purpose,
      qh: queryHash(query),
    };
    const token = await this.jwt.signAsync(payload, {
      secret: this.secret,
      algorithm: 'HS256',
      expiresIn: DOWNLOAD_TOKEN_TTL_SECONDS,
    });
    const params = new URLSearchParams();
    for (const [name, values] of canonicalQuery(query)) {
      for (const value of values) params.append(name, value);
    }
    params.append(DOWNLOAD_TOKEN_PARAM, token);
    const expiresAt = new Date(Date.now() + DOWNLOAD_TOKEN_TTL_SECONDS * 1000).toISOString();
    return { url: `${path}?${params.toString()}`, expiresAt };
  }

  /** The admin the token was issued to, or null when it is invalid for this purpose and query. */
  async verify(
    token: string,
    purpose: DownloadPurpose,
    query: DownloadQuery,
    ip: string,
  ): Promise<Actor | null> {
    let payload: DownloadTokenPayload;
    try {
      payload = await this.jwt.verifyAsync<DownloadTokenPayload & object>(token, {
        secret: this.secret,
        algorithms: ['HS256'],
      });
    } catch {
      return null;
    }
    if (payload.pur !== purpose || payload.qh !== queryHash(query)) return null;
    if (typeof payload.sub !== 'string' || typeof payload.ver !== 'number') return null;
    return this.credentials.adminActor(payload.sub, payload.ver, ip);
  }
}
