import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { FtpLimitColumns } from './ftp-limits.columns';
import type { FtpPermissionRule } from './ftp-permission-rule.entity';
import type { GroupMembership } from './group-membership.entity';

/**
 * The safe username charset: starts with a letter or digit, then letters,
 * digits, `.`, `_`, `@`, `-`; 3 to 64 characters. No spaces, slashes or
 * control characters, so a username is always a valid directory name and
 * safe in FTP replies and logs. Unique case-insensitively.
 */
export const FTP_USERNAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._@-]{2,63}$/;

@Entity({ name: 'ftp_users' })
export class FtpUser extends FtpLimitColumns {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Unique on lower(username): index IDX_ftp_users_username_lower (migration). */
  @Column({ type: 'varchar', length: 64 })
  username!: string;

  /** argon2id PHC string. Never leaves the database through the API. */
  @Column({ name: 'password_hash', type: 'text', select: true })
  passwordHash!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /**
   * The user's virtual root, relative to the storage root, `/`-separated, no
   * `..` segments and no leading `/` (defaults to the username).
   */
  @Column({ name: 'home_dir', type: 'varchar', length: 1024 })
  homeDir!: string;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany('GroupMembership', (m: GroupMembership) => m.user)
  memberships?: GroupMembership[];

  @OneToMany('FtpPermissionRule', (r: FtpPermissionRule) => r.user)
  permissionRules?: FtpPermissionRule[];
}
