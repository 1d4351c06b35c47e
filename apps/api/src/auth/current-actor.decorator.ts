import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

import type { Actor } from './actor';

export type { Actor } from './actor';

/** The request property the auth guard stores the actor in. */
export const ACTOR_REQUEST_KEY = 'wharfActor';

export type RequestWithActor = Request & { [ACTOR_REQUEST_KEY]?: Actor };

/** `@CurrentActor() actor: Actor`: the caller authenticated by the global guard. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<RequestWithActor>();
  const actor = request[ACTOR_REQUEST_KEY];
  // The guard runs before any handler; a Public() route has no actor.
  if (!actor) throw new Error('CurrentActor used on a route without an authenticated actor');
  return actor;
});
