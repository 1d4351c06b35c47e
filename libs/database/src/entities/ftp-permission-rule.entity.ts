import type { FtpPermission } from '@wharf/contracts';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import type { FtpGroup } from './ftp-group.entity';
import type { FtpUser } from './ftp-user.entity';

/**
 * "On this virtual path prefix, allow these operations". Owned by exactly one
 * user or one group (CHECK CHK_permission_rules_owner); one rule per owner and
 * path (IDX_permission_rules_user_id_path / IDX_permission_rules_group_id_path).
 */
@Entity({ name: 'permission_rules' })
export class FtpPermissionRule {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne('FtpUser', (u: FtpUser) => u.permissionRules, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: FtpUser | null;

  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId!: string | null;

  @ManyToOne('FtpGroup', (g: FtpGroup) => g.permissionRules, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: FtpGroup | null;

  /** Absolute virtual path prefix without trailing slash ("/", "/incoming"). */
  @Column({ type: 'varchar', length: 1024 })
  path!: string;

  @Column({ type: 'text', array: true })
  allow!: FtpPermission[];
}
