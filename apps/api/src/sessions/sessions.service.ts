import { Inject, Injectable } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { type LiveSession, WorkerJobName } from '@wharf/contracts';
import type { FtpSession } from '@wharf/database';
import { DataSource } from 'typeorm';

import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { notFound } from '../common/errors';
import { type ListQuerySpec, Paginated, parseListQuery } from '../common/list-query';
import { WHARF_CONFIG } from '../config.token';
import { WorkerNudgesService } from '../ftp-shared/worker-nudges.service';
import { liveSessionsClause } from './live-sessions';

export const SESSIONS_LIST_SPEC: ListQuerySpec = {
  sortable: ['loginAt', 'username', 'clientIp', 'bytesTransferred', 'workerId'],
  defaultSort: 'loginAt',
  defaultOrder: 'DESC',
  filters: { workerId: 'string', serverId: 'uuid', userId: 'uuid', username: 'string' },
  idType: 'string',
};

const SORT_COLUMNS: Record<string, string> = {
  loginAt: 's."login_at"',
  username: 's."username"',
  clientIp: 's."client_ip"',
  bytesTransferred: 's."bytes_transferred"',
  workerId: 's."worker_id"',
};

interface SessionRow {
  id: string;
  worker_id: string;
  server_id: string | null;
  user_id: string | null;
  username: string | null;
  client_ip: string;
  client_port: number;
  tls: string | null;
  login_at: Date | null;
  current_command: string | null;
  bytes_transferred: string;
  transfer: FtpSession['transfer'];
  updated_at: Date;
}

const toLiveSession = (r: SessionRow): LiveSession => ({
  id: r.id,
  workerId: r.worker_id,
  serverId: r.server_id,
  userId: r.user_id,
  username: r.username,
  clientIp: r.client_ip,
  clientPort: r.client_port,
  tls: r.tls,
  loginAt: r.login_at?.toISOString() ?? null,
  currentCommand: r.current_command,
  bytesTransferred: Number(r.bytes_transferred),
  transfer: r.transfer,
  updatedAt: r.updated_at.toISOString(),
});

/** Live FTP sessions across workers (rows the workers report), and kicking one. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly workers: WorkerNudgesService,
    private readonly audit: AuditService,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async list(query: Record<string, unknown>): Promise<Paginated<LiveSession>> {
    const { skip, take, sort, order, filters: f, ids } = parseListQuery(query, SESSIONS_LIST_SPEC);
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [liveSessionsClause('w', this.config.worker.heartbeatSeconds)];
    if (ids.length) where.push(`s."id" = ANY(${p(ids)}::text[])`);
    if (typeof f.workerId === 'string') where.push(`s."worker_id" = ${p(f.workerId)}`);
    if (typeof f.serverId === 'string') where.push(`s."server_id" = ${p(f.serverId)}`);
    if (typeof f.userId === 'string') where.push(`s."user_id" = ${p(f.userId)}`);
    if (typeof f.username === 'string') {
      where.push(`lower(s."username") = lower(${p(f.username)})`);
    }
    const filterParams = [...params];
    const from = `FROM "ftp_sessions" s JOIN "workers" w ON w."id" = s."worker_id"
      WHERE ${where.join(' AND ')}`;
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `SELECT s."id", s."worker_id", s."server_id", s."user_id", s."username",
                host(s."client_ip") AS client_ip, s."client_port", s."tls", s."login_at",
                s."current_command", s."bytes_transferred", s."transfer", s."updated_at"
           ${from}
          ORDER BY ${SORT_COLUMNS[sort] ?? 's."login_at"'} ${order} NULLS LAST, s."id" ${order}
          LIMIT ${p(take)} OFFSET ${p(skip)}`,
        params,
      ) as Promise<SessionRow[]>,
      this.dataSource.query(`SELECT count(*) AS count ${from}`, filterParams) as Promise<
        { count: string }[]
      >,
    ]);
    return new Paginated(rows.map(toLiveSession), Number(count[0]?.count ?? 0));
  }

  /**
   * Asks the session's worker to close it (WorkerJobName.KickSession on
   * `worker.<id>`); the worker answers the client with 421 and disconnects.
   * Audit-logged. A session of a worker with a stale heartbeat is not found:
   * nobody would act on the job.
   */
  async kick(
    id: string,
    actor: Actor,
  ): Promise<{ sessionId: string; workerId: string; job: string }> {
    const rows = (await this.dataSource.query(
      `SELECT s."id", s."worker_id", s."username", host(s."client_ip") AS client_ip
         FROM "ftp_sessions" s JOIN "workers" w ON w."id" = s."worker_id"
        WHERE s."id" = $1 AND ${liveSessionsClause('w', this.config.worker.heartbeatSeconds)}`,
      [id],
    )) as Pick<SessionRow, 'id' | 'worker_id' | 'username' | 'client_ip'>[];
    const session = rows[0];
    if (!session) throw notFound('Session');
    await this.workers.send(session.worker_id, WorkerJobName.KickSession, { sessionId: id });
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, actor, {
        action: 'kick',
        targetType: 'ftp-session',
        targetId: id,
        before: {
          workerId: session.worker_id,
          username: session.username,
          clientIp: session.client_ip,
        },
        after: null,
      }),
    );
    return { sessionId: id, workerId: session.worker_id, job: WorkerJobName.KickSession };
  }
}
