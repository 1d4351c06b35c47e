import { Column } from 'typeorm';

import { bigintToNumber } from './bigint.transformer';

export type QuotaPeriod = 'day' | 'month';
export const QUOTA_PERIODS: readonly QuotaPeriod[] = ['day', 'month'];

/**
 * The limit columns an FTP user and a group both carry. On a user, `null`
 * means "inherit from my groups"; on a group, `null` means "this group sets
 * nothing". When nobody sets a value the effective value is the default
 * (unlimited, no IP restriction, TLS not required). See
 * docs/design/2026-11-25-ftp-user-effective-settings.md.
 */
export abstract class FtpLimitColumns {
  @Column({ name: 'quota_bytes', type: 'bigint', nullable: true, transformer: bigintToNumber })
  quotaBytes!: number | null;

  @Column({ name: 'quota_files', type: 'bigint', nullable: true, transformer: bigintToNumber })
  quotaFiles!: number | null;

  @Column({
    name: 'upload_quota_bytes',
    type: 'bigint',
    nullable: true,
    transformer: bigintToNumber,
  })
  uploadQuotaBytes!: number | null;

  @Column({
    name: 'download_quota_bytes',
    type: 'bigint',
    nullable: true,
    transformer: bigintToNumber,
  })
  downloadQuotaBytes!: number | null;

  @Column({ name: 'quota_period', type: 'varchar', length: 8, nullable: true })
  quotaPeriod!: QuotaPeriod | null;

  /** Bytes per second. */
  @Column({ name: 'upload_bandwidth', type: 'bigint', nullable: true, transformer: bigintToNumber })
  uploadBandwidth!: number | null;

  /** Bytes per second. */
  @Column({
    name: 'download_bandwidth',
    type: 'bigint',
    nullable: true,
    transformer: bigintToNumber,
  })
  downloadBandwidth!: number | null;

  @Column({ name: 'max_sessions', type: 'integer', nullable: true })
  maxSessions!: number | null;

  /** IPv4/IPv6 addresses and CIDR blocks, normalised by the API. */
  @Column({ name: 'allowed_ips', type: 'text', array: true, nullable: true })
  allowedIps!: string[] | null;

  @Column({ name: 'require_tls', type: 'boolean', nullable: true })
  requireTls!: boolean | null;
}
