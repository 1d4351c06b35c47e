import type { PermissionRule } from '@wharf/contracts';

export interface FtpUserRecord {
  id: string;
  username: string;
  enabled: boolean;
  expiresAt: string | null;
  homeDir: string | null;
  quotaBytes: number | null;
  quotaFiles: number | null;
  uploadQuotaBytes: number | null;
  downloadQuotaBytes: number | null;
  quotaPeriod: 'day' | 'month' | null;
  uploadBandwidth: number | null;
  downloadBandwidth: number | null;
  maxSessions: number | null;
  allowedIps: string[];
  requireTls: boolean | null;
  permissions: PermissionRule[];
  groupIds: string[];
  usage?: { usedBytes: number; usedFiles: number } | null;
  lastLoginAt?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

export type FtpUserStatus = 'active' | 'disabled' | 'expired';

export function statusOf(
  user: Pick<FtpUserRecord, 'enabled' | 'expiresAt'>,
  now = Date.now(),
): FtpUserStatus {
  if (!user.enabled) return 'disabled';
  if (user.expiresAt && new Date(user.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}
