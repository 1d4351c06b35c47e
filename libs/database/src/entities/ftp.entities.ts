import { FtpGroup } from './ftp-group.entity';
import { FtpPermissionRule } from './ftp-permission-rule.entity';
import { FtpServer } from './ftp-server.entity';
import { FtpUser } from './ftp-user.entity';
import { GroupMembership } from './group-membership.entity';
import { ServerWorkerAssignment } from './server-worker-assignment.entity';
import { WorkerNode } from './worker-node.entity';

export * from './bigint.transformer';
export * from './ftp-group.entity';
export * from './ftp-limits.columns';
export * from './ftp-permission-rule.entity';
export * from './ftp-server.entity';
export * from './ftp-user.entity';
export * from './group-membership.entity';
export * from './server-worker-assignment.entity';
export * from './worker-node.entity';

// ftp_users, groups, group memberships, permission_rules, servers, workers
export const FTP_ENTITIES: (new () => object)[] = [
  FtpUser,
  FtpGroup,
  GroupMembership,
  FtpPermissionRule,
  FtpServer,
  WorkerNode,
  ServerWorkerAssignment,
];
