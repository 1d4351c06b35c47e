import type { ExecutionContext } from '@nestjs/common';
import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AdminRole } from '@wharf/contracts';

import type { Actor } from './actor';
import { AuthException } from './auth.exception';
import { AuthGuard } from './auth.guard';
import type { CredentialsService } from './credentials.service';
import { ACTOR_REQUEST_KEY } from './current-actor.decorator';
import { Public, RequireRole, roleSatisfies } from './roles.decorator';

@Controller()
class Routes {
  @Get() undeclared() {}
  @Get() @Public() open() {}
  @Get() @RequireRole(AdminRole.Auditor) read() {}
  @Get() @RequireRole(AdminRole.Admin) write() {}
  @Get() @RequireRole(AdminRole.Superadmin) admins() {}
}

function actor(role: AdminRole): Actor {
  return { kind: 'admin', adminId: 'a', apiKeyId: null, username: 'u', role, ip: '127.0.0.1' };
}

function run(handler: keyof Routes, who: Actor | null) {
  const request: Record<string | symbol, unknown> = { headers: {}, ip: '127.0.0.1' };
  const credentials = { authenticate: () => Promise.resolve(who) } as unknown as CredentialsService;
  const guard = new AuthGuard(new Reflector(), credentials);
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { result: guard.canActivate(context), request };
}

async function status(handler: keyof Routes, who: Actor | null): Promise<number> {
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

  it('roleSatisfies is a total order', () => {
    expect(roleSatisfies(AdminRole.Admin, AdminRole.Superadmin)).toBe(false);
    expect(roleSatisfies(AdminRole.Superadmin, AdminRole.Auditor)).toBe(true);
  });
});
