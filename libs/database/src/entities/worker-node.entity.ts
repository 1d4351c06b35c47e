import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WorkerNodeStatus = 'starting' | 'running' | 'draining' | 'stopped';
export const WORKER_NODE_STATUSES: readonly WorkerNodeStatus[] = [
  'starting',
  'running',
  'draining',
  'stopped',
];

/**
 * An ftp-worker process, registered and heartbeated by the worker itself
 * (upsert on id). Whether it is online is derived from last_heartbeat_at by
 * readers, never stored: a dead worker cannot mark itself stale.
 */
@Entity({ name: 'workers' })
export class WorkerNode {
  /** e.g. `worker-3f9a1c` (config WHARF_WORKER_ID or generated). */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  hostname!: string;

  @Column({ type: 'text' })
  version!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'last_heartbeat_at', type: 'timestamptz' })
  lastHeartbeatAt!: Date;

  /** What the worker says about itself. */
  @Column({ type: 'varchar', length: 16, default: 'starting' })
  status!: WorkerNodeStatus;

  @Column({ name: 'session_count', type: 'integer', default: 0 })
  sessionCount!: number;

  /** Free-form facts the worker reports (pid, listeners, node version...). */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  meta!: Record<string, unknown>;
}
