import { Injectable, Logger } from '@nestjs/common';

import { FtpLoginService } from '../auth/ftp-login.service';
import { LoginStore } from '../auth/login-store';
import { LivePrincipals } from '../policy/live-principals';
import { FtpListeners } from '../servers/ftp-listeners';

export const USER_KICK_REPLIES = {
  disabled: 'Session closed: this account was disabled.',
  deleted: 'Session closed: this account no longer exists.',
  expired: 'Session closed: this account has expired.',
} as const;

/**
 * Keeps live sessions in line with their user rows: a disabled, expired or
 * deleted user is disconnected (421); otherwise the sessions get the new
 * permissions and bandwidth. Runs on a UserChanged nudge and, for every user
 * with a live session here, on each reconcile pass (so a lost nudge is healed
 * within one interval).
 */
@Injectable()
export class UserSessionsService {
  private readonly logger = new Logger(UserSessionsService.name);

  constructor(
    private readonly store: LoginStore,
    private readonly login: FtpLoginService,
    private readonly principals: LivePrincipals,
    private readonly listeners: FtpListeners,
  ) {}

  /**
   * A nudge: drops the cached password verification, then applies the row.
   * `disabled` (from the nudge) kicks even when the database cannot be read.
   */
  async userChanged(userId: string, disabled: boolean): Promise<void> {
    this.login.forgetUser(userId);
    if (disabled) this.kick(userId, USER_KICK_REPLIES.disabled);
    await this.apply(userId);
  }

  async recheckLiveUsers(): Promise<void> {
    for (const userId of this.principals.userIds()) {
      try {
        await this.apply(userId);
      } catch (error) {
        // The database is unreachable: sessions already open keep going until it is back.
        this.logger.warn(`cannot re-check user ${userId}: ${String(error)}`);
        return;
      }
    }
  }

  private async apply(userId: string): Promise<void> {
    if (this.principals.ofUser(userId).length === 0) return;
    const user = await this.store.findUserById(userId);
    if (!user) return this.kick(userId, USER_KICK_REPLIES.deleted);
    if (!user.enabled) return this.kick(userId, USER_KICK_REPLIES.disabled);
    if (user.expiresAt && user.expiresAt.getTime() <= Date.now()) {
      return this.kick(userId, USER_KICK_REPLIES.expired);
    }
    for (const principal of this.principals.ofUser(userId)) principal.policy?.update(user.settings);
  }

  private kick(userId: string, message: string): void {
    const count = this.listeners.kickUser(userId, message);
    if (count > 0) this.logger.log(`closed ${count} session(s) of user ${userId}: ${message}`);
  }
}
