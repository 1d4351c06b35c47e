import type { EffectiveSettings } from '@wharf/database';
import type {
  AuthorizationResult,
  FtpOperation,
  SessionPolicy,
  VirtualPath,
} from '@wharf/ftp-protocol';

import type { SessionQuotaHandle } from '../worker.tokens';
import { authorizeByRules } from './permission-policy';

/**
 * The policy of one logged-in session. Its settings can be replaced while the
 * session runs (a UserChanged nudge or the periodic reconcile reloads them),
 * so a permission taken away applies to the next command, not the next login.
 *
 * `reserve`/`release` exist only when the quota module provides a session
 * quota (SESSION_QUOTA in worker.tokens.ts) and a byte limit applies to the
 * user's uploads: the engine adds its reservation stage to uploads only when
 * the hook is there.
 */
export class UserSessionPolicy implements SessionPolicy {
  bandwidth: { upload?: number; download?: number };
  reserve?: SessionPolicy['reserve'];
  release?: SessionPolicy['release'];

  constructor(
    readonly userId: string,
    private settings: EffectiveSettings,
    private readonly onEnd: () => void,
    private readonly quota: SessionQuotaHandle | null = null,
  ) {
    this.bandwidth = bandwidthOf(settings);
    const hooks = quota?.policyHooks();
    if (hooks) {
      this.reserve = hooks.reserve;
      this.release = hooks.release;
    }
  }

  authorize(operation: FtpOperation, path: VirtualPath): AuthorizationResult {
    return authorizeByRules(this.settings.permissions, operation, path);
  }

  /** New permission rules and limits for the rest of the session. */
  update(settings: EffectiveSettings): void {
    this.settings = settings;
    // Mutated in place: the engine may hold a reference to this object.
    Object.assign(
      this.bandwidth,
      { upload: undefined, download: undefined },
      bandwidthOf(settings),
    );
  }

  async onLogout(): Promise<void> {
    this.onEnd();
    await this.quota?.close();
  }
}

function bandwidthOf(settings: EffectiveSettings): { upload?: number; download?: number } {
  return {
    upload: settings.limits.uploadBandwidth.value ?? undefined,
    download: settings.limits.downloadBandwidth.value ?? undefined,
  };
}
