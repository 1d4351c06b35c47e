import type { ExecutionContext } from '@nestjs/common';
import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AdminRole } from '@wharf/contracts';

import type { Actor } from './actor';
import { AuthException } from './auth.exception';
import { AuthGuard } from './auth.guard';
import type { CredentialsService } from './credentials.service';
import { ACTOR_REQUEST_KEY } from './current-actor.decorator';
import { DownloadPurpose } from './download-token';
import type { DownloadTokenService } from './download-token.service';
import { AcceptsDownloadToken, Public, RequireRole, roleSatisfies } from './roles.decorator';

@Controller()
class Routes {
  @Get() undeclared() {}
  @Get() @Public() open() {}
  @Get() @RequireRole(AdminRole.Auditor) read() {}
  @Get() @RequireRole(AdminRole.Admin) write() {}
  @Get() @RequireRole(AdminRole.Superadmin) admins() {}
  @Get()
  @RequireRole(AdminRole.Auditor)
  @AcceptsDownloadToken(DownloadPurpose.TransfersExport)
  exportCsv() {}
}

function actor(role: AdminRole): Actor {
  return { kind: 'admin', adminId: 'a', apiKeyId: null, username: 'u', role, ip: '127.0.0.1' };
}

interface Callers {
  /** Who the Authorization / X-Api-Key headers authenticate. */
  headers: Actor | null;
  /** Who a download token authenticates. */
  token?: Actor | null;
  query?: Record<string, unknown>;
}

function run(handler: keyof Routes, who: Actor | Callers | null) {
  const callers: Callers = who && 'headers' in who ? who : { headers: who };
  const request: Record<string | symbol, unknown> = {
    headers: {},
    ip: '127.0.0.1',
    query: callers.query ?? {},
  };
  const credentials = {
    authenticate: () => Promise.resolve(callers.headers),
  } as unknown as CredentialsService;
  const downloads = {
    verify: () => Promise.resolve(callers.token ?? null),
  } as unknown as DownloadTokenService;
  const guard = new AuthGuard(new Reflector(), credentials, downloads);
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { result: guard.canActivate(context), request };
}

async function status(handler: keyof Routes, who: Actor | Callers | null): Promise<number> {
  try {
    await run(handler, who).result;
    return 200;
  } catch (error) {
    if (error instanceof AuthException) return error.getStatus();
    throw error;
  }
}

describe('AuthGuard', () => {
  it('denies a route that declares no role, even to a superadmin (deny by default)', async () => {
    expect(await status('undeclared', actor(AdminRole.Superadmin))).toBe(403);
    expect(await status('undeclared', null)).toBe(403);
  });

  it('lets anyone reach a Public() route', async () => {
    expect(await status('open', null)).toBe(200);
  });

  it('answers 401 without credentials on a declared route', async () => {
    expect(await status('read', null)).toBe(401);
  });

  it('applies the hierarchy superadmin > admin > auditor', async () => {
    const matrix: [keyof Routes, AdminRole, number][] = [
      ['read', AdminRole.Auditor, 200],
      ['read', AdminRole.Admin, 200],
      ['read', AdminRole.Superadmin, 200],
      ['write', AdminRole.Auditor, 403],
      ['write', AdminRole.Admin, 200],
      ['write', AdminRole.Superadmin, 200],
      ['admins', AdminRole.Auditor, 403],
      ['admins', AdminRole.Admin, 403],
      ['admins', AdminRole.Superadmin, 200],
    ];
    for (const [handler, role, expected] of matrix) {
      expect([handler, role, await status(handler, actor(role))]).toEqual([
        handler,
        role,
        expected,
      ]);
    }
  });

  it('stores the actor on the request for @CurrentActor()', async () => {
    const who = actor(AdminRole.Admin);
    const { result, request } = run('write', who);
    await result;
    expect(request[ACTOR_REQUEST_KEY]).toBe(who);
  });

  it('authenticates a download route called with ?token= by the token alone', async () => {
    const query = { token: 'x' };
    const admin = actor(AdminRole.Admin);
    expect(await status('exportCsv', { headers: null, token: admin, query })).toBe(200);
    // A bad token is 401 even when the headers would have been good.
    expect(await status('exportCsv', { headers: admin, token: null, query })).toBe(401);
    expect(await status('exportCsv', { headers: admin, query: { token: ['x', 'y'] } })).toBe(401);
    expect(await status('exportCsv', { headers: admin, token: null, query: {} })).toBe(200);
  });

  it('ignores ?token= on a route that does not accept download tokens', async () => {
    const query = { token: 'x' };
    const admin = actor(AdminRole.Admin);
    expect(await status('read', { headers: null, token: admin, query })).toBe(401);
  });

  it('roleSatisfies is a total order', () => {
    expect(roleSatisfies(AdminRole.Admin, AdminRole.Superadmin)).toBe(false);
    expect(roleSatisfies(AdminRole.Superadmin, AdminRole.Auditor)).toBe(true);
  });
});
