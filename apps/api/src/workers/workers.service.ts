import { Inject, Injectable } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { ServerWorkerAssignment, WorkerNode } from '@wharf/database';
import { DataSource, In } from 'typeorm';

import { notFound, validationFailed } from '../common/errors';
import { Paginated, parseListQuery } from '../common/list-query';
import { WHARF_CONFIG } from '../config.token';
import type { WorkerView } from './dto/worker.dto';
import { MISSED_BEATS_BEFORE_STALE, workerLiveness } from './worker-status';

export const WORKER_SORTABLE = ['id', 'hostname', 'startedAt', 'lastHeartbeatAt', 'sessionCount'];

const SORT_COLUMNS: Record<string, string> = {
  id: 'w.id',
  hostname: 'w.hostname',
  startedAt: 'w.started_at',
  lastHeartbeatAt: 'w.last_heartbeat_at',
  sessionCount: 'w.session_count',
};

/** Read-only: workers register and heartbeat themselves (apps/ftp-worker). */
@Injectable()
export class WorkersService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  private get staleAfterSeconds(): number {
    return MISSED_BEATS_BEFORE_STALE * this.config.worker.heartbeatSeconds;
  }

  async list(query: Record<string, unknown>): Promise<Paginated<WorkerView>> {
    const q = parseListQuery(query, {
      sortable: WORKER_SORTABLE,
      defaultSort: 'id',
      filters: { status: 'string', hostname: 'string' },
      idType: 'string',
    });
    const qb = this.dataSource.getRepository(WorkerNode).createQueryBuilder('w');
    if (q.q) {
      qb.andWhere(`(w.id ILIKE :q ESCAPE '\\' OR w.hostname ILIKE :q ESCAPE '\\')`, {
        q: `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    if (q.ids.length) qb.andWhere('w.id IN (:...ids)', { ids: q.ids });
    if (typeof q.filters.hostname === 'string') {
      qb.andWhere('w.hostname = :hostname', { hostname: q.filters.hostname });
    }
    const status = q.filters.status;
    if (status !== undefined) {
      if (status !== 'online' && status !== 'stale') {
        throw validationFailed([{ field: 'status', message: 'status must be online or stale' }]);
      }
      // Same rule as workerLiveness(), in SQL so that pagination and the total agree.
      qb.andWhere(
        status === 'online'
          ? `w.last_heartbeat_at >= now() - make_interval(secs => :stale)`
          : `w.last_heartbeat_at < now() - make_interval(secs => :stale)`,
        { stale: this.staleAfterSeconds },
      );
    }
    qb.orderBy(SORT_COLUMNS[q.sort]!, q.order).addOrderBy('w.id', 'ASC').skip(q.skip).take(q.take);
    const [workers, total] = await qb.getManyAndCount();
    return new Paginated(await this.views(workers), total);
  }

  async get(id: string): Promise<WorkerView> {
    const worker = await this.dataSource.getRepository(WorkerNode).findOneBy({ id });
    if (!worker) throw notFound('Worker');
    return (await this.views([worker]))[0]!;
  }

  private async views(workers: WorkerNode[]): Promise<WorkerView[]> {
    const ids = workers.map((w) => w.id);
    const assignments = ids.length
      ? await this.dataSource.getRepository(ServerWorkerAssignment).find({
          where: { workerId: In(ids) },
          order: { serverId: 'ASC' },
        })
      : [];
    const now = new Date();
    return workers.map((w) => ({
      id: w.id,
      hostname: w.hostname,
      version: w.version,
      startedAt: w.startedAt.toISOString(),
      lastHeartbeatAt: w.lastHeartbeatAt.toISOString(),
      status: workerLiveness(w.lastHeartbeatAt, this.config.worker.heartbeatSeconds, now),
      reportedStatus: w.status,
      sessionCount: w.sessionCount,
      meta: w.meta,
      assignedServerIds: assignments.filter((a) => a.workerId === w.id).map((a) => a.serverId),
    }));
  }
}
