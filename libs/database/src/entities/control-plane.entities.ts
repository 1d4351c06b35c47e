import { AdminRole } from '@wharf/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { bigintToNumber } from './bigint.transformer';
import { FtpUser } from './ftp-user.entity';

@Entity({ name: 'admins' })
export class AdminEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Unique case-insensitively: IDX_admins_username_lower on lower(username), in the migration. */
  @Column({ type: 'text' })
  username!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: AdminRole;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Bumped on logout and password change: tokens carrying an older version are refused. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Public part of the key (`wharf_<prefix>_...`), shown in lists to tell keys apart. */
  @Index('IDX_api_keys_prefix', { unique: true })
  @Column({ type: 'text' })
  prefix!: string;

  /** Hex SHA-256 of the whole key; the key itself is never stored. */
  @Index('IDX_api_keys_secret_hash', { unique: true })
  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ type: 'text' })
  role!: AdminRole;

  @Column({ name: 'created_by_id', type: 'uuid', nullable: true })
  createdById!: string | null;

  @ManyToOne(() => AdminEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: AdminEntity | null;

  @Column({ name: 'created_by_username', type: 'text' })
  createdByUsername!: string;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type AuditActorKind = 'admin' | 'api-key';

@Entity({ name: 'admin_audit_log' })
@Index('IDX_admin_audit_log_at', ['at'])
@Index('IDX_admin_audit_log_target_type_target_id_at', ['targetType', 'targetId', 'at'])
@Index('IDX_admin_audit_log_actor_id_at', ['actorId', 'at'])
export class AdminAuditLogEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: AuditActorKind;

  /** Admin id or API key id, per actor_kind; kept as text history after deletion (no FK). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_username', type: 'text' })
  actorUsername!: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: AdminRole;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'target_type', type: 'text' })
  targetType!: string;

  @Column({ name: 'target_id', type: 'text' })
  targetId!: string;

  /** Only the changed fields, secrets redacted. */
  @Column({ type: 'jsonb' })
  changes!: {
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  };

  @Column({ name: 'client_ip', type: 'inet', nullable: true })
  clientIp!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}

/**
 * Live usage counters of one FTP user. Changed only by single conditional SQL
 * statements (STYLE.md "Data"), never read-modify-write.
 */
@Entity({ name: 'usage' })
export class UsageEntity {
  @PrimaryColumn({ name: 'ftp_user_id', type: 'uuid' })
  ftpUserId!: string;

  @OneToOne(() => FtpUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ftp_user_id' })
  ftpUser?: FtpUser;

  @Column({ name: 'used_bytes', type: 'bigint', default: 0, transformer: bigintToNumber })
  usedBytes!: number;

  @Column({ name: 'used_files', type: 'bigint', default: 0, transformer: bigintToNumber })
  usedFiles!: number;

  /** Start of the current quota period (day or month, per the user's quotaPeriod). */
  @Column({ name: 'period_start', type: 'timestamptz', nullable: true })
  periodStart!: Date | null;

  @Column({
    name: 'period_upload_bytes',
    type: 'bigint',
    default: 0,
    transformer: bigintToNumber,
  })
  periodUploadBytes!: number;

  @Column({
    name: 'period_download_bytes',
    type: 'bigint',
    default: 0,
    transformer: bigintToNumber,
  })
  periodDownloadBytes!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One FTP event (login, transfer, delete, ...). The table is partitioned by
 * month on occurred_at (see ensureTransferLogPartitions); ids are UUIDv7 made
 * by the worker, so re-delivered events insert with ON CONFLICT DO NOTHING.
 * No foreign keys: the history outlives users, servers and workers.
 */
@Entity({ name: 'transfer_logs', synchronize: false })
@Index('IDX_transfer_logs_occurred_at', ['occurredAt'])
@Index('IDX_transfer_logs_user_id_occurred_at', ['userId', 'occurredAt'])
@Index('IDX_transfer_logs_client_ip_occurred_at', ['clientIp', 'occurredAt'])
@Index('IDX_transfer_logs_operation_outcome_occurred_at', ['operation', 'outcome', 'occurredAt'])
export class TransferLogEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PrimaryColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'worker_id', type: 'text', nullable: true })
  workerId!: string | null;

  @Column({ name: 'server_id', type: 'uuid', nullable: true })
  serverId!: string | null;

  @Column({ name: 'session_id', type: 'text', nullable: true })
  sessionId!: string | null;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ type: 'text', nullable: true })
  username!: string | null;

  @Column({ name: 'client_ip', type: 'inet', nullable: true })
  clientIp!: string | null;

  @Column({ name: 'client_port', type: 'integer', nullable: true })
  clientPort!: number | null;

  @Column({ name: 'tls_version', type: 'text', nullable: true })
  tlsVersion!: string | null;

  @Column({ type: 'text' })
  operation!: string;

  @Column({ type: 'text', nullable: true })
  command!: string | null;

  @Column({ type: 'text', nullable: true })
  path!: string | null;

  @Column({ name: 'target_path', type: 'text', nullable: true })
  targetPath!: string | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintToNumber })
  bytes!: number;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  sha256!: string | null;
}

export const CONTROL_PLANE_ENTITIES: (new () => object)[] = [
  AdminEntity,
  ApiKeyEntity,
  AdminAuditLogEntity,
  UsageEntity,
  TransferLogEntity,
];
