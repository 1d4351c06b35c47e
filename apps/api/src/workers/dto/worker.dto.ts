import { ApiProperty } from '@nestjs/swagger';
import { WORKER_NODE_STATUSES, type WorkerNodeStatus } from '@wharf/database';

import type { WorkerLiveness } from '../worker-status';

export class WorkerView {
  @ApiProperty({ example: 'worker-3f9a1c' })
  id!: string;

  @ApiProperty({ example: 'ftp-1.internal' })
  hostname!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty()
  startedAt!: string;

  @ApiProperty()
  lastHeartbeatAt!: string;

  @ApiProperty({
    enum: ['online', 'stale'],
    description: 'stale = no heartbeat for 3 heartbeat intervals (WHARF_HEARTBEAT_SECONDS)',
  })
  status!: WorkerLiveness;

  @ApiProperty({
    enum: WORKER_NODE_STATUSES,
    description: 'What the worker last said about itself',
  })
  reportedStatus!: WorkerNodeStatus;

  @ApiProperty({ example: 3 })
  sessionCount!: number;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { pid: 4242 } })
  meta!: Record<string, unknown>;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Servers explicitly assigned to it' })
  assignedServerIds!: string[];
}
