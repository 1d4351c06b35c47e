import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import type { FtpServer } from './ftp-server.entity';

/**
 * Pins a server to specific workers. A server with no assignment runs on
 * every worker. `worker_id` has no foreign key on purpose: an admin may pin a
 * server to a worker id (WHARF_WORKER_ID) before that worker first registers.
 */
@Entity({ name: 'server_workers' })
@Index('IDX_server_workers_worker_id', ['workerId'])
export class ServerWorkerAssignment {
  @PrimaryColumn({ name: 'server_id', type: 'uuid' })
  serverId!: string;

  @ManyToOne('FtpServer', (s: FtpServer) => s.workerAssignments, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'server_id' })
  server?: FtpServer;

  @PrimaryColumn({ name: 'worker_id', type: 'text' })
  workerId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
