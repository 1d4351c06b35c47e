import type { EffectiveLimits, QuotaPeriod } from '@wharf/database';

/**
 * The effective limits the quota module enforces for one user (user value,
 * else the groups' defaults, merged by resolveEffectiveSettings). `null` is
 * unlimited; 0 is "nothing".
 */
export interface QuotaLimits {
  quotaBytes: number | null;
  quotaFiles: number | null;
  uploadQuotaBytes: number | null;
  downloadQuotaBytes: number | null;
  quotaPeriod: QuotaPeriod;
}

/** Picks the quota values out of resolveEffectiveSettings(...).limits. */
export function quotaLimitsFrom(limits: EffectiveLimits): QuotaLimits {
  return {
    quotaBytes: limits.quotaBytes.value,
    quotaFiles: limits.quotaFiles.value,
    uploadQuotaBytes: limits.uploadQuotaBytes.value,
    downloadQuotaBytes: limits.downloadQuotaBytes.value,
    quotaPeriod: limits.quotaPeriod.value,
  };
}

export const UNLIMITED: QuotaLimits = {
  quotaBytes: null,
  quotaFiles: null,
  uploadQuotaBytes: null,
  downloadQuotaBytes: null,
  quotaPeriod: 'month',
};
