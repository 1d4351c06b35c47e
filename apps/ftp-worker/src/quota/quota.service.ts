import { Inject, Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { resolveEffectiveSettings } from '@wharf/database';

import { effectiveBandwidth, type SessionBandwidth } from './bandwidth';
import { QuotaErrorCode, QuotaException } from './quota.exception';
import { QuotaRepository } from './quota.repository';
import { QUOTA_OPTIONS } from './quota.tokens';
import { type QuotaLimits, quotaLimitsFrom } from './quota-limits';
import { availableFrom, QuotaSession } from './quota-session';
import { UsageDeltaBuffer } from './usage-deltas';

export interface QuotaServiceOptions {
  workerId: string;
  now?: () => Date;
}

/**
 * Storage and transfer quotas of FTP users (issue 4 §4,
 * docs/design/2026-11-25-quotas.md). The worker opens one QuotaSession per
 * logged-in FTP session and hands its two halves to the engine.
 */
@Injectable()
export class QuotaService implements OnModuleInit {
  private readonly logger = new Logger(QuotaService.name);
  private readonly now: () => Date;
  /** The usage of what no quota limits, written behind (one per worker, shared by its sessions). */
  readonly deltas: UsageDeltaBuffer;

  constructor(
    private readonly repository: QuotaRepository,
    @Inject(QUOTA_OPTIONS) private readonly options: QuotaServiceOptions,
    @Optional() deltas?: UsageDeltaBuffer,
  ) {
    this.now = options.now ?? (() => new Date());
    this.deltas = deltas ?? new UsageDeltaBuffer(repository);
  }

  /**
   * Whatever an earlier run of this worker id reserved died with it: no
   * session of this process exists yet, so all of it can go now rather than
   * after the reconcile job notices.
   */
  async onModuleInit(): Promise<void> {
    try {
      const dropped = await this.repository.dropDeadReservations(0, this.options.workerId);
      for (const d of dropped) await this.repository.recordDeadReservation(d);
      if (dropped.length > 0) {
        this.logger.log(`released ${dropped.length} reservation(s) left by a previous run`);
      }
    } catch (error) {
      // Not fatal: the reconcile job drops them later.
      this.logger.warn(
        `could not release old reservations: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * Starts the quota bookkeeping of one FTP session. Pass the limits the
   * authenticator already resolved (quotaLimitsFrom(effective.limits)), or
   * leave them out to have them loaded.
   */
  async openSession(args: {
    userId: string;
    sessionId: string;
    limits?: QuotaLimits;
  }): Promise<QuotaSession> {
    const limits = args.limits ?? (await this.loadLimits(args.userId));
    await this.repository.ensureUsageRow(args.userId);
    return new QuotaSession(
      this.repository,
      {
        userId: args.userId,
        sessionId: args.sessionId,
        workerId: this.options.workerId,
        limits,
        now: this.now,
      },
      this.deltas,
    );
  }

  /** The user's effective quota limits (own values, else their groups'). */
  async loadLimits(userId: string): Promise<QuotaLimits> {
    const sources = await this.repository.limitSources(userId);
    if (!sources) throw new QuotaException(QuotaErrorCode.UnknownUser, `no FTP user ${userId}`);
    const groups = sources.groups.map((g) => ({ ...g, rules: [] }));
    return quotaLimitsFrom(resolveEffectiveSettings({ ...sources.user, rules: [] }, groups).limits);
  }

  /** AVBL: bytes the user may still upload, or null when neither quota limits it. */
  async available(userId: string, limits?: QuotaLimits): Promise<number | null> {
    const effective = limits ?? (await this.loadLimits(userId));
    return availableFrom(effective, await this.repository.counters(userId), this.now());
  }

  /** The session's throttle: the user's effective bandwidth capped by the server's. */
  async bandwidthFor(userId: string, serverId: string | null): Promise<SessionBandwidth> {
    const sources = await this.repository.limitSources(userId);
    if (!sources) throw new QuotaException(QuotaErrorCode.UnknownUser, `no FTP user ${userId}`);
    const groups = sources.groups.map((g) => ({ ...g, rules: [] }));
    const { limits } = resolveEffectiveSettings({ ...sources.user, rules: [] }, groups);
    const server = serverId
      ? await this.repository.serverBandwidth(serverId)
      : { upload: null, download: null };
    return effectiveBandwidth(
      {
        uploadBandwidth: limits.uploadBandwidth.value,
        downloadBandwidth: limits.downloadBandwidth.value,
      },
      server,
    );
  }
}
