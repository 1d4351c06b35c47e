import { Injectable } from '@nestjs/common';
import { FtpGroup, FtpUser, GroupMembership, LIMIT_KEYS, type LimitValues } from '@wharf/database';
import { DataSource, type EntityManager, In } from 'typeorm';

import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { notFound, validationFailed } from '../common/errors';
import { Paginated, parseListQuery } from '../common/list-query';
import {
  loadRules,
  normalizeRules,
  replaceRules,
  type RuleView,
} from '../ftp-shared/permission-rules';
import type { CreateGroupDto, GroupView, UpdateGroupDto } from './dto/group.dto';

const TARGET = 'group';

export const GROUP_SORTABLE = ['name', 'createdAt', 'updatedAt'];

const SORT_COLUMNS: Record<string, string> = {
  name: 'lower(g.name)',
  createdAt: 'g.created_at',
  updatedAt: 'g.updated_at',
};

function limitsOf(source: Partial<LimitValues>, fillNull: boolean): Partial<LimitValues> {
  const out: Record<string, unknown> = {};
  for (const key of LIMIT_KEYS) {
    const v = source[key];
    if (v !== undefined) out[key] = v;
    else if (fillNull) out[key] = null;
  }
  return out as Partial<LimitValues>;
}

function snapshot(g: FtpGroup, rules: RuleView[], memberIds: string[]): Record<string, unknown> {
  return {
    name: g.name,
    description: g.description,
    ...limitsOf(g, true),
    permissions: rules,
    memberIds: [...memberIds].sort(),
  };
}

@Injectable()
export class GroupsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(query: Record<string, unknown>): Promise<Paginated<GroupView>> {
    const q = parseListQuery(query, {
      sortable: GROUP_SORTABLE,
      defaultSort: 'name',
      filters: { name: 'string', memberId: 'uuid' },
    });
    const qb = this.dataSource.getRepository(FtpGroup).createQueryBuilder('g');
    if (q.q) {
      qb.andWhere(`(g.name ILIKE :q ESCAPE '\\' OR g.description ILIKE :q ESCAPE '\\')`, {
        q: `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    if (q.ids.length) qb.andWhere('g.id IN (:...ids)', { ids: q.ids });
    if (typeof q.filters.name === 'string') {
      qb.andWhere('lower(g.name) = lower(:name)', { name: q.filters.name });
    }
    if (typeof q.filters.memberId === 'string') {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = g.id AND m.user_id = :memberId)',
        { memberId: q.filters.memberId },
      );
    }
    qb.orderBy(SORT_COLUMNS[q.sort]!, q.order).addOrderBy('g.id', 'ASC').skip(q.skip).take(q.take);
    const [groups, total] = await qb.getManyAndCount();
    return new Paginated(await this.views(this.dataSource.manager, groups), total);
  }

  async get(id: string): Promise<GroupView> {
    const group = await this.dataSource.getRepository(FtpGroup).findOneBy({ id });
    if (!group) throw notFound('Group');
    return (await this.views(this.dataSource.manager, [group]))[0]!;
  }

  async create(dto: CreateGroupDto, actor: Actor): Promise<GroupView> {
    const rules = normalizeRules(dto.permissions ?? []);
    const memberIds = dto.memberIds ?? [];
    return this.dataSource.transaction(async (manager) => {
      await this.assertUsersExist(manager, memberIds);
      const group = await manager.save(
        manager.create(FtpGroup, {
          name: dto.name,
          description: dto.description ?? null,
          ...limitsOf(dto, true),
        }),
      );
      await replaceRules(manager, { groupId: group.id }, rules);
      await this.setMembers(manager, group.id, memberIds);
      await this.audit.record(manager, actor, {
        action: 'create',
        targetType: TARGET,
        targetId: group.id,
        before: null,
        after: snapshot(group, rules, memberIds),
      });
      return (await this.views(manager, [group]))[0]!;
    });
  }

  async update(
    id: string,
    dto: UpdateGroupDto | CreateGroupDto,
    actor: Actor,
    mode: 'patch' | 'put',
  ): Promise<GroupView> {
    const put = mode === 'put';
    const rules = dto.permissions ? normalizeRules(dto.permissions) : put ? [] : undefined;
    const memberIds = dto.memberIds ?? (put ? [] : undefined);
    return this.dataSource.transaction(async (manager) => {
      const group = await manager.findOne(FtpGroup, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!group) throw notFound('Group');
      const beforeRules = (await loadRules(manager, 'groupId', [id])).get(id)!;
      const beforeMembers = await this.memberIdsOf(manager, id);
      const before = snapshot(group, beforeRules, beforeMembers);

      if (dto.name !== undefined) group.name = dto.name;
      if (dto.description !== undefined || put) group.description = dto.description ?? null;
      Object.assign(group, limitsOf(dto, put));
      await manager.save(group);
      if (rules) await replaceRules(manager, { groupId: id }, rules);
      if (memberIds) {
        await this.assertUsersExist(manager, memberIds);
        await manager.delete(GroupMembership, { groupId: id });
        await this.setMembers(manager, id, memberIds);
      }
      await this.audit.record(manager, actor, {
        action: 'update',
        targetType: TARGET,
        targetId: id,
        before,
        after: snapshot(group, rules ?? beforeRules, memberIds ?? beforeMembers),
      });
      return (await this.views(manager, [group]))[0]!;
    });
  }

  /** Deleting a group removes its memberships and rules; its members stay. */
  async remove(id: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const group = await manager.findOne(FtpGroup, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!group) throw notFound('Group');
      const rules = (await loadRules(manager, 'groupId', [id])).get(id)!;
      const before = snapshot(group, rules, await this.memberIdsOf(manager, id));
      await manager.delete(FtpGroup, { id });
      await this.audit.record(manager, actor, {
        action: 'delete',
        targetType: TARGET,
        targetId: id,
        before,
        after: null,
      });
    });
  }

  private async setMembers(manager: EntityManager, groupId: string, userIds: string[]) {
    if (userIds.length === 0) return;
    await manager.insert(
      GroupMembership,
      userIds.map((userId) => ({ userId, groupId })),
    );
  }

  private async assertUsersExist(manager: EntityManager, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    const found = await manager.find(FtpUser, { where: { id: In(userIds) }, select: { id: true } });
    const known = new Set(found.map((u) => u.id));
    const errors = userIds
      .map((uid, i) => ({ uid, i }))
      .filter(({ uid }) => !known.has(uid))
      .map(({ uid, i }) => ({
        field: `memberIds[${i}]`,
        message: `FTP user ${uid} does not exist`,
      }));
    if (errors.length) throw validationFailed(errors);
  }

  private async memberIdsOf(manager: EntityManager, groupId: string): Promise<string[]> {
    const rows = await manager.find(GroupMembership, { where: { groupId } });
    return rows.map((r) => r.userId).sort();
  }

  private async views(manager: EntityManager, groups: FtpGroup[]): Promise<GroupView[]> {
    const ids = groups.map((g) => g.id);
    const rules = await loadRules(manager, 'groupId', ids);
    const memberships = ids.length
      ? await manager.find(GroupMembership, { where: { groupId: In(ids) } })
      : [];
    return groups.map((g) => ({
      id: g.id,
      name: g.name,
      description: g.description,
      quotaBytes: g.quotaBytes,
      quotaFiles: g.quotaFiles,
      uploadQuotaBytes: g.uploadQuotaBytes,
      downloadQuotaBytes: g.downloadQuotaBytes,
      quotaPeriod: g.quotaPeriod,
      uploadBandwidth: g.uploadBandwidth,
      downloadBandwidth: g.downloadBandwidth,
      maxSessions: g.maxSessions,
      allowedIps: g.allowedIps,
      requireTls: g.requireTls,
      memberIds: memberships
        .filter((m) => m.groupId === g.id)
        .map((m) => m.userId)
        .sort(),
      permissions: rules.get(g.id) ?? [],
      createdAt: g.createdAt.toISOString(),
      updatedAt: g.updatedAt.toISOString(),
    }));
  }
}
