import type { EffectiveSettings } from '@wharf/database';
import type {
  AuthorizationResult,
  FtpOperation,
  SessionPolicy,
  VirtualPath,
} from '@wharf/ftp-protocol';

import { authorizeByRules } from './permission-policy';

/**
 * The policy of one logged-in session. Its settings can be replaced while the
 * session runs (a UserChanged nudge or the periodic reconcile reloads them),
 * so a permission taken away applies to the next command, not the next login.
 *
 * Quota seam: `reserve`/`release` (SessionPolicy) are deliberately absent
 * until the quota engineer's QuotaService lands in apps/ftp-worker/src/quota;
 * then they delegate to it here, and nowhere else.
 */
export class UserSessionPolicy implements SessionPolicy {
  bandwidth: { upload?: number; download?: number };

  constructor(
    readonly userId: string,
    private settings: EffectiveSettings,
    private readonly onEnd: () => void,
  ) {
    this.bandwidth = bandwidthOf(settings);
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

  onLogout(): void {
    this.onEnd();
  }
}

function bandwidthOf(settings: EffectiveSettings): { upload?: number; download?: number } {
  return {
    upload: settings.limits.uploadBandwidth.value ?? undefined,
    download: settings.limits.downloadBandwidth.value ?? undefined,
  };
}
