import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import type { FtpGroup } from './ftp-group.entity';
import type { FtpUser } from './ftp-user.entity';

@Entity({ name: 'group_memberships' })
@Index('IDX_group_memberships_group_id', ['groupId'])
export class GroupMembership {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('FtpUser', (u: FtpUser) => u.memberships, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: FtpUser;

  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  @ManyToOne('FtpGroup', (g: FtpGroup) => g.memberships, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: FtpGroup;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
