import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AdminRole } from '@wharf/contracts';

import { AuthErrorCode, AuthException } from './auth.exception';
import { CredentialsService } from './credentials.service';
import { ACTOR_REQUEST_KEY, type RequestWithActor } from './current-actor.decorator';
import { DOWNLOAD_TOKEN_PARAM, type DownloadPurpose } from './download-token';
import { DownloadTokenService } from './download-token.service';
import {
  DOWNLOAD_PURPOSE_KEY,
  PUBLIC_KEY,
  REQUIRED_ROLE_KEY,
  roleSatisfies,
} from './roles.decorator';

/**
 * Global guard. A route is reachable only when it declares Public() or
 * RequireRole(...): anything else is 403 even for a superadmin (deny by
 * default). Missing or bad credentials are 401; too small a role is 403.
 * A route marked AcceptsDownloadToken() that is called with `?token=`
 * authenticates by that token alone (a bad one is 401, whatever else is sent).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialsService,
    private readonly downloads: DownloadTokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const required = this.reflector.getAllAndOverride<AdminRole | undefined>(
      REQUIRED_ROLE_KEY,
      targets,
    );
    if (!required) {
      throw new AuthException(AuthErrorCode.Forbidden, 'This route declares no role: denied');
    }
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const apiKey = request.headers['x-api-key'];
    const ip = request.ip ?? request.socket.remoteAddress ?? '';
    const purpose = this.reflector.getAllAndOverride<DownloadPurpose | undefined>(
      DOWNLOAD_PURPOSE_KEY,
      targets,
    );
    const query = (request.query ?? {}) as Record<string, unknown>;
    const downloadToken = query[DOWNLOAD_TOKEN_PARAM];
    const actor =
      purpose && downloadToken !== undefined
        ? typeof downloadToken === 'string'
          ? await this.downloads.verify(downloadToken, purpose, query, ip)
          : null
        : await this.credentials.authenticate(
            {
              authorization: request.headers.authorization,
              apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey,
            },
            ip,
          );
    if (!actor) {
      throw new AuthException(AuthErrorCode.Unauthenticated, 'Authentication required');
    }
    request[ACTOR_REQUEST_KEY] = actor;
    if (!roleSatisfies(actor.role, required)) {
      throw new AuthException(AuthErrorCode.Forbidden, `Requires role ${required} or higher`);
    }
    return true;
  }
}
