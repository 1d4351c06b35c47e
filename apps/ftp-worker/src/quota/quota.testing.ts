/* Test support for the quota specs (never imported by production code). */
import { randomUUID } from 'node:crypto';

import { createDataSource } from '@wharf/database';
import type { DataSource } from 'typeorm';

import { QuotaRepository } from './quota.repository';
import { QuotaService } from './quota.service';
import type { QuotaLimits } from './quota-limits';

export const MiB = 1024 * 1024;

export async function openTestDataSource(poolSize = 10): Promise<DataSource> {
  const url = process.env.WHARF_TEST_DATABASE_URL;
  if (!url) throw new Error('WHARF_TEST_DATABASE_URL is not set (run through test/jest.config.js)');
  return createDataSource(url, { poolSize, applicationName: 'wharf-quota-spec' }).initialize();
}

/** An FTP user with the given limit columns (null = inherit / unlimited). */
export async function createFtpUser(
  ds: DataSource,
  overrides: Partial<{
    quota_bytes: number | null;
    quota_files: number | null;
    upload_quota_bytes: number | null;
    download_quota_bytes: number | null;
    quota_period: 'day' | 'month' | null;
    upload_bandwidth: number | null;
    download_bandwidth: number | null;
    home_dir: string;
  }> = {},
): Promise<{ id: string; username: string; homeDir: string }> {
  const username = `q${randomUUID().slice(0, 12)}`;
  const homeDir = overrides.home_dir ?? `homes/${username}`;
  const [row] = (await ds.query(
    `INSERT INTO ftp_users (username, password_hash, home_dir, quota_bytes, quota_files,
                            upload_quota_bytes, download_quota_bytes, quota_period,
                            upload_bandwidth, download_bandwidth)
     VALUES ($1, 'x', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      username,
      homeDir,
      overrides.quota_bytes ?? null,
      overrides.quota_files ?? null,
      overrides.upload_quota_bytes ?? null,
      overrides.download_quota_bytes ?? null,
      overrides.quota_period ?? null,
      overrides.upload_bandwidth ?? null,
      overrides.download_bandwidth ?? null,
    ],
  )) as { id: string }[];
  return { id: row!.id, username, homeDir };
}

export async function usageOf(
  ds: DataSource,
  userId: string,
): Promise<{
  usedBytes: number;
  usedFiles: number;
  reservedBytes: number;
  reservedFiles: number;
  periodUploadBytes: number;
  periodDownloadBytes: number;
  periodStart: Date | null;
}> {
  const counters = await new QuotaRepository(ds).counters(userId);
  if (!counters) throw new Error(`no usage row for ${userId}`);
  return counters;
}

export function limits(overrides: Partial<QuotaLimits> = {}): QuotaLimits {
  return {
    quotaBytes: null,
    quotaFiles: null,
    uploadQuotaBytes: null,
    downloadQuotaBytes: null,
    quotaPeriod: 'month',
    ...overrides,
  };
}

/** A QuotaService as one worker would have it, with a settable clock. */
export function quotaService(
  ds: DataSource,
  workerId = `worker-spec-${randomUUID().slice(0, 8)}`,
  clock: { now: Date } = { now: new Date() },
): { service: QuotaService; clock: { now: Date }; workerId: string } {
  const service = new QuotaService(new QuotaRepository(ds), { workerId, now: () => clock.now });
  return { service, clock, workerId };
}
