import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { bigintToNumber } from './bigint.transformer';
import type { ServerWorkerAssignment } from './server-worker-assignment.entity';

export type TlsMode = 'none' | 'explicit' | 'implicit';
export const TLS_MODES: readonly TlsMode[] = ['none', 'explicit', 'implicit'];

/**
 * One FTP listener configuration. A server with no rows in `server_workers`
 * runs on every worker; with rows, only on the workers listed there.
 */
@Entity({ name: 'servers' })
export class FtpServer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Unique on lower(name): IDX_servers_name_lower (migration). */
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  /** Unique with port: IDX_servers_bind_address_port. */
  @Column({ name: 'bind_address', type: 'varchar', length: 255, default: '0.0.0.0' })
  bindAddress!: string;

  @Column({ type: 'integer' })
  port!: number;

  @Column({ name: 'tls_mode', type: 'varchar', length: 16, default: 'none' })
  tlsMode!: TlsMode;

  @Column({ name: 'cert_pem', type: 'text', nullable: true })
  certPem!: string | null;

  /** Secret. Never returned by the API (it reports `hasPrivateKey`). */
  @Column({ name: 'key_pem', type: 'text', nullable: true })
  keyPem!: string | null;

  /** Refuse USER/PASS before AUTH TLS on this server (explicit mode). */
  @Column({ name: 'require_tls', type: 'boolean', default: false })
  requireTls!: boolean;

  /** Data connections must resume the control connection's TLS session. */
  @Column({ name: 'require_tls_session_reuse', type: 'boolean', default: false })
  requireTlsSessionReuse!: boolean;

  @Column({ name: 'passive_port_min', type: 'integer' })
  passivePortMin!: number;

  @Column({ name: 'passive_port_max', type: 'integer' })
  passivePortMax!: number;

  /** Address announced in PASV replies (NAT); null = the control connection's local address. */
  @Column({ name: 'public_host', type: 'varchar', length: 255, nullable: true })
  publicHost!: string | null;

  @Column({ type: 'text', nullable: true })
  banner!: string | null;

  @Column({ name: 'login_timeout_s', type: 'integer', default: 30 })
  loginTimeoutS!: number;

  @Column({ name: 'idle_timeout_s', type: 'integer', default: 300 })
  idleTimeoutS!: number;

  /** null = unlimited. */
  @Column({ name: 'max_connections', type: 'integer', nullable: true })
  maxConnections!: number | null;

  /** null = unlimited. */
  @Column({ name: 'max_connections_per_ip', type: 'integer', nullable: true })
  maxConnectionsPerIp!: number | null;

  /**
   * Bytes per second for all uploads through this server's listener on one
   * worker together (the engine's shared token bucket); null or 0 = no cap.
   */
  @Column({ name: 'upload_bandwidth', type: 'bigint', nullable: true, transformer: bigintToNumber })
  uploadBandwidth!: number | null;

  /** As uploadBandwidth, for downloads. */
  @Column({
    name: 'download_bandwidth',
    type: 'bigint',
    nullable: true,
    transformer: bigintToNumber,
  })
  downloadBandwidth!: number | null;

  /**
   * fsync an upload's file and directory before the `226` (durable uploads,
   * the default). False leaves them to the page cache: faster on many small
   * files, but a crash may lose uploads the client was told are stored.
   */
  @Column({ name: 'fsync_uploads', type: 'boolean', default: true })
  fsyncUploads!: boolean;

  /**
   * SHA-256 of each upload for its transfer-log row (the default). False skips
   * the hash, about 0.6 s of CPU per GiB uploaded: the rows of this server's
   * uploads then have `sha256` null.
   */
  @Column({ name: 'upload_sha256', type: 'boolean', default: true })
  uploadSha256!: boolean;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany('ServerWorkerAssignment', (a: ServerWorkerAssignment) => a.server)
  workerAssignments?: ServerWorkerAssignment[];
}
