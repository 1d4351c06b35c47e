import type { QuotaPeriod } from '@wharf/database';

/**
 * Start of the transfer-quota period containing `now`, in UTC: midnight for
 * `day`, the first of the month for `month`. Every worker computes the same
 * boundary whatever its local time zone.
 */
export function periodStart(now: Date, period: QuotaPeriod): Date {
  switch (period) {
    case 'day':
      return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    case 'month':
      return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  }
}
