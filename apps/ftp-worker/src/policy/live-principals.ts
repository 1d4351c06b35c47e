import { Injectable } from '@nestjs/common';

import type { UserSessionPolicy } from './user-session.policy';

export interface LivePrincipal {
  sessionId: string;
  serverId: string;
  userId: string;
  username: string;
  /** null while the login is still being admitted. */
  policy: UserSessionPolicy | null;
}

/**
 * The sessions this worker admitted, by session id, from the moment the
 * authenticator claimed them (before the engine marks them logged in) until
 * logout. The session report reads it to fill in the user of a session whose
 * login is still being answered, and user nudges use it to find whose
 * settings to reload.
 */
@Injectable()
export class LivePrincipals {
  private readonly bySession = new Map<string, LivePrincipal>();

  add(principal: LivePrincipal): void {
    this.bySession.set(principal.sessionId, principal);
  }

  setPolicy(sessionId: string, policy: UserSessionPolicy): void {
    const principal = this.bySession.get(sessionId);
    if (principal) principal.policy = policy;
  }

  remove(sessionId: string): void {
    this.bySession.delete(sessionId);
  }

  get(sessionId: string): LivePrincipal | undefined {
    return this.bySession.get(sessionId);
  }

  ofUser(userId: string): LivePrincipal[] {
    return [...this.bySession.values()].filter((p) => p.userId === userId);
  }

  sessionIds(): string[] {
    return [...this.bySession.keys()];
  }

  userIds(): string[] {
    return [...new Set([...this.bySession.values()].map((p) => p.userId))];
  }
}
