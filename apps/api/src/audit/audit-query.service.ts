import { Injectable } from '@nestjs/common';
import { AdminAuditLogEntity } from '@wharf/database';
import { DataSource } from 'typeorm';

import { notFound } from '../common/errors';
import { type ListQuerySpec, Paginated, parseListQuery } from '../common/list-query';
import type { AuditLogDto } from './dto/audit-log.dto';

export const AUDIT_LIST_SPEC: ListQuerySpec = {
  sortable: ['at', 'action', 'targetType', 'actorUsername'],
  defaultSort: 'at',
  defaultOrder: 'DESC',
  filters: {
    actor: 'string',
    actorKind: 'string',
    action: 'string',
    targetType: 'string',
    targetId: 'string',
    from: 'date',
    to: 'date',
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the admin audit log; writing is AuditService's job. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: Record<string, unknown>): Promise<Paginated<AuditLogDto>> {
    const { skip, take, sort, order, filters: f, ids, q } = parseListQuery(query, AUDIT_LIST_SPEC);
    const qb = this.dataSource.getRepository(AdminAuditLogEntity).createQueryBuilder('l');
    if (ids.length) qb.andWhere('l.id IN (:...ids)', { ids });
    if (typeof f.actor === 'string') {
      if (UUID.test(f.actor)) qb.andWhere('l.actorId = :actorId', { actorId: f.actor });
      else qb.andWhere('lower(l.actorUsername) = lower(:actor)', { actor: f.actor });
    }
    if (f.actorKind !== undefined)
      qb.andWhere('l.actorKind = :actorKind', { actorKind: f.actorKind });
    if (f.action !== undefined) qb.andWhere('l.action = :action', { action: f.action });
    if (f.targetType !== undefined)
      qb.andWhere('l.targetType = :targetType', { targetType: f.targetType });
    if (f.targetId !== undefined) qb.andWhere('l.targetId = :targetId', { targetId: f.targetId });
    if (f.from instanceof Date) qb.andWhere('l.at >= :from', { from: f.from });
    if (f.to instanceof Date) qb.andWhere('l.at < :to', { to: f.to });
    if (q) {
      qb.andWhere(
        '(l.actorUsername ILIKE :q OR l.targetId ILIKE :q OR l.targetType ILIKE :q OR l.action ILIKE :q)',
        { q: `%${q.replace(/[\\%_]/g, '\\$&')}%` },
      );
    }
    qb.orderBy(`l.${sort}`, order).addOrderBy('l.id', order).skip(skip).take(take);
    const [items, total] = await qb.getManyAndCount();
    return new Paginated(items, total);
  }

  async get(id: string): Promise<AuditLogDto> {
    const row = await this.dataSource.getRepository(AdminAuditLogEntity).findOne({ where: { id } });
    if (!row) throw notFound('Audit entry');
    return row;
  }
}
