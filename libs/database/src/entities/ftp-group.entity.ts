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

export const FTP_GROUP_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._@ -]{0,63}$/;

/** A group of FTP users; its limit columns are defaults its members inherit. */
@Entity({ name: 'groups' })
export class FtpGroup extends FtpLimitColumns {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Unique on lower(name): index IDX_groups_name_lower (migration). */
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany('GroupMembership', (m: GroupMembership) => m.group)
  memberships?: GroupMembership[];

  @OneToMany('FtpPermissionRule', (r: FtpPermissionRule) => r.group)
  permissionRules?: FtpPermissionRule[];
}
