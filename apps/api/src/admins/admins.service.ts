import { Injectable } from '@nestjs/common';
import { AdminRole } from '@wharf/contracts';
import { AdminEntity, hashPassword } from '@wharf/database';
import { DataSource, type EntityManager } from 'typeorm';

import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { conflict, notFound } from '../common/errors';
import { type ListQuerySpec, Paginated, parseListQuery } from '../common/list-query';
import type { AdminDto, CreateAdminDto, UpdateAdminDto } from './dto/admin.dto';

export const ADMIN_LIST_SPEC: ListQuerySpec = {
  sortable: ['username', 'role', 'enabled', 'createdAt', 'lastLoginAt'],
  defaultSort: 'username',
  filters: { role: 'string', enabled: 'boolean', username: 'string' },
};

export function toAdminDto(a: AdminEntity): AdminDto {
  return {
    id: a.id,
    username: a.username,
    role: a.role,
    enabled: a.enabled,
    lastLoginAt: a.lastLoginAt,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

/** What the audit log sees of an admin (the hash only as a redacted marker). */
function auditView(a: AdminEntity): Record<string, unknown> {
  return { username: a.username, role: a.role, enabled: a.enabled, passwordHash: a.passwordHash };
}

const TARGET = 'admin';

@Injectable()
export class AdminsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(query: Record<string, unknown>): Promise<Paginated<AdminDto>> {
    const { skip, take, sort, order, filters: f, ids, q } = parseListQuery(query, ADMIN_LIST_SPEC);
    const qb = this.dataSource.getRepository(AdminEntity).createQueryBuilder('a');
    if (ids.length) qb.andWhere('a.id IN (:...ids)', { ids });
    if (f.role !== undefined) qb.andWhere('a.role = :role', { role: f.role });
    if (f.enabled !== undefined) qb.andWhere('a.enabled = :enabled', { enabled: f.enabled });
    if (f.username !== undefined) qb.andWhere('lower(a.username) = lower(:u)', { u: f.username });
    if (q) qb.andWhere('a.username ILIKE :q', { q: `%${q.replace(/[\\%_]/g, '\\$&')}%` });
    qb.orderBy(`a.${sort}`, order, 'NULLS LAST').addOrderBy('a.id', 'ASC').skip(skip).take(take);
    const [rows, total] = await qb.getManyAndCount();
    return new Paginated(rows.map(toAdminDto), total);
  }

  async get(id: string): Promise<AdminDto> {
    return toAdminDto(await this.find(this.dataSource.manager, id));
  }

  async create(dto: CreateAdminDto, actor: Actor): Promise<AdminDto> {
    const passwordHash = await hashPassword(dto.password);
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(AdminEntity);
      const saved = await repo.save(
        repo.create({
          username: dto.username,
          passwordHash,
          role: dto.role,
          enabled: dto.enabled ?? true,
        }),
      );
      await this.audit.record(manager, actor, {
        action: 'create',
        targetType: TARGET,
        targetId: saved.id,
        after: auditView(saved),
      });
      return toAdminDto(saved);
    });
  }

  async update(id: string, dto: UpdateAdminDto, actor: Actor): Promise<AdminDto> {
    const passwordHash = dto.password === undefined ? undefined : await hashPassword(dto.password);
    return this.dataSource.transaction(async (manager) => {
      await this.lockSuperadmins(manager);
      const current = await this.find(manager, id, true);
      const before = auditView(current);
      const next: AdminEntity = Object.assign(new AdminEntity(), current, {
        username: dto.username ?? current.username,
        role: dto.role ?? current.role,
        enabled: dto.enabled ?? current.enabled,
        passwordHash: passwordHash ?? current.passwordHash,
      });
      const losesSuperadmin =
        current.role === AdminRole.Superadmin &&
        current.enabled &&
        (next.role !== AdminRole.Superadmin || !next.enabled);
      if (losesSuperadmin) await this.assertAnotherSuperadmin(manager, id);
      // A new password or a lost permission ends the admin's existing sessions.
      if (passwordHash !== undefined || !next.enabled || next.role !== current.role) {
        next.tokenVersion = current.tokenVersion + 1;
      }
      const saved = await manager.getRepository(AdminEntity).save(next);
      await this.audit.record(manager, actor, {
        action: 'update',
        targetType: TARGET,
        targetId: id,
        before,
        after: auditView(saved),
      });
      return toAdminDto(saved);
    });
  }

  async remove(id: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.lockSuperadmins(manager);
      const current = await this.find(manager, id, true);
      if (current.role === AdminRole.Superadmin && current.enabled) {
        await this.assertAnotherSuperadmin(manager, id);
      }
      await manager.getRepository(AdminEntity).delete({ id });
      await this.audit.record(manager, actor, {
        action: 'delete',
        targetType: TARGET,
        targetId: id,
        before: auditView(current),
      });
    });
  }

  private async find(manager: EntityManager, id: string, forUpdate = false): Promise<AdminEntity> {
    const qb = manager
      .getRepository(AdminEntity)
      .createQueryBuilder('a')
      .where('a.id = :id', { id });
    if (forUpdate) qb.setLock('pessimistic_write');
    const admin = await qb.getOne();
    if (!admin) throw notFound('Admin');
    return admin;
  }

  /**
   * Serialises changes that could remove the last enabled superadmin: two
   * superadmins demoting each other concurrently must not both succeed.
   */
  private async lockSuperadmins(manager: EntityManager): Promise<void> {
    await manager.query(
      `SELECT id FROM admins WHERE role = 'superadmin' AND enabled ORDER BY id FOR UPDATE`,
    );
  }

  private async assertAnotherSuperadmin(manager: EntityManager, exceptId: string): Promise<void> {
    const others = await manager
      .getRepository(AdminEntity)
      .createQueryBuilder('a')
      .where('a.role = :role AND a.enabled AND a.id <> :id', {
        role: AdminRole.Superadmin,
        id: exceptId,
      })
      .getCount();
    if (others === 0) {
      throw conflict('Cannot demote, disable or delete the last enabled superadmin', 'role');
    }
  }
}
