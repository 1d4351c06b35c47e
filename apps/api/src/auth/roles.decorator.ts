import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiQuery,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';

import { DOWNLOAD_TOKEN_TTL_SECONDS } from './download-token';

export const REQUIRED_ROLE_KEY = 'wharf:required-role';
export const PUBLIC_KEY = 'wharf:public';
export const DOWNLOAD_PURPOSE_KEY = 'wharf:download-purpose';

const RANK: Record<AdminRole, number> = {
  [AdminRole.Superadmin]: 3,
  [AdminRole.Admin]: 2,
  [AdminRole.Auditor]: 1,
};

/** superadmin > admin > auditor: true when `actual` may do what `required` may. */
export function roleSatisfies(actual: AdminRole, required: AdminRole): boolean {
  return RANK[actual] >= RANK[required];
}

/**
 * The least role a route needs. RequireRole(Auditor) = any authenticated
 * admin or API key; RequireRole(Admin) = admin and superadmin;
 * RequireRole(Superadmin) = superadmin only. Routes with neither this nor
 * Public() are refused (deny by default). Also documents the route in OpenAPI.
 */
export function RequireRole(role: AdminRole): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE_KEY, role),
    ApiBearerAuth(),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked credentials' }),
    ApiForbiddenResponse({ description: `Requires role ${role} or higher` }),
  );
}

/** Reachable without credentials. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_KEY, true);
}

/**
 * Besides the usual credentials, the route accepts `?token=` from a download
 * link issued for this purpose and this exact query (DownloadTokenService),
 * so a browser can stream it to disk from a plain link.
 */
export function AcceptsDownloadToken(purpose: string): MethodDecorator {
  return applyDecorators(
    SetMetadata(DOWNLOAD_PURPOSE_KEY, purpose),
    ApiQuery({
      name: 'token',
      required: false,
      description: `A download link's token (valid ${DOWNLOAD_TOKEN_TTL_SECONDS} s, for this query only); instead of Authorization`,
    }),
  );
}
