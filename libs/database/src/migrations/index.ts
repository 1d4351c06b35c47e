import type { MigrationInterface } from 'typeorm';

import { FtpResources1764000000000 } from './1764000000000-ftp-resources';
import { ControlPlane1764000100000 } from './1764000100000-control-plane';
import { FtpSessions1764000200000 } from './1764000200000-ftp-sessions';
import { Quotas1764000300000 } from './1764000300000-quotas';
import { TransferLogFilterIndexes1764000500000 } from './1764000500000-transfer-log-filter-indexes';
import { TransferStatsRollup1764000600000 } from './1764000600000-transfer-stats-rollup';
import { ServerFsyncUploads1764000800000 } from './1764000800000-server-fsync-uploads';
import { ServerUploadSha2561764000900000 } from './1764000900000-server-upload-sha256';

// Ordered by timestamp; every schema change is a new migration.
// FtpResources comes first: the control-plane `usage` table references ftp_users.
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  FtpResources1764000000000,
  ControlPlane1764000100000,
  FtpSessions1764000200000,
  Quotas1764000300000,
  TransferLogFilterIndexes1764000500000,
  TransferStatsRollup1764000600000,
  ServerFsyncUploads1764000800000,
  ServerUploadSha2561764000900000,
];
