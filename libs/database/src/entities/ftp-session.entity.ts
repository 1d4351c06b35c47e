import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { bigintToNumber } from './bigint.transformer';

/** The transfer a session is running right now. */
export interface FtpSessionTransfer {
  direction: 'upload' | 'download';
  path: string;
  bytes: number;
  /** ISO time. */
  startedAt: string;
}

/**
 * A live FTP session, reported by the worker that holds it (compared about
 * every second and upserted when it changed, deleted at logout and at worker
 * shutdown); `updatedAt` is when the row last changed. Rows of a worker
 * whose heartbeat is stale are ignored by readers: a worker that died cannot
 * clean up after itself. FK to workers(id) ON DELETE CASCADE (in the migration).
 */
@Entity({ name: 'ftp_sessions' })
@Index('IDX_ftp_sessions_worker_id', ['workerId'])
export class FtpSession {
  /** The engine's session id. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'worker_id', type: 'text' })
  workerId!: string;

  @Column({ name: 'server_id', type: 'uuid', nullable: true })
  serverId!: string | null;

  /** Null before login completes. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ type: 'text', nullable: true })
  username!: string | null;

  @Column({ name: 'client_ip', type: 'inet' })
  clientIp!: string;

  @Column({ name: 'client_port', type: 'integer' })
  clientPort!: number;

  /** Negotiated TLS version of the control connection ("TLSv1.3"), null when plain. */
  @Column({ type: 'text', nullable: true })
  tls!: string | null;

  @Column({ name: 'login_at', type: 'timestamptz', nullable: true })
  loginAt!: Date | null;

  @Column({ name: 'current_command', type: 'text', nullable: true })
  currentCommand!: string | null;

  @Column({ name: 'bytes_transferred', type: 'bigint', default: 0, transformer: bigintToNumber })
  bytesTransferred!: number;

  @Column({ type: 'jsonb', nullable: true })
  transfer!: FtpSessionTransfer | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

export const SESSION_ENTITIES: (new () => object)[] = [FtpSession];
