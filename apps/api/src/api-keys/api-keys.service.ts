import { Injectable } from '@nestjs/common';
import { ApiKeyEntity } from '@wharf/database';
import { DataSource } from 'typeorm';

import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { AuthErrorCode, AuthException } from '../auth/auth.exception';
import { roleSatisfies } from '../auth/roles.decorator';
import { notFound } from '../common/errors';
import { type ListQuerySpec, Paginated, parseListQuery } from '../common/list-query';
import { generateApiKey } from './api-key-secret';
import type { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

export const API_KEY_LIST_SPEC: ListQuerySpec = {
  sortable: ['name', 'role', 'createdAt', 'lastUsedAt', 'expiresAt'],
  defaultSort: 'createdAt',
  defaultOrder: 'DESC',
  filters: { role: 'string', revoked: 'boolean' },
};

export function toApiKeyDto(k: ApiKeyEntity): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    createdById: k.createdById,
    createdByUsername: k.createdByUsername,
    lastUsedAt: k.lastUsedAt,
    expiresAt: k.expiresAt,
    revokedAt: k.revokedAt,
    createdAt: k.createdAt,
  };
}

const TARGET = 'api-key';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(query: Record<string, unknown>): Promise<Paginated<ApiKeyDto>> {
    const {
      skip,
      take,
      sort,
      order,
      filters: f,
      ids,
      q,
    } = parseListQuery(query, API_KEY_LIST_SPEC);
    const qb = this.dataSource.getRepository(ApiKeyEntity).createQueryBuilder('k');
    if (ids.length) qb.andWhere('k.id IN (:...ids)', { ids });
    if (f.role !== undefined) qb.andWhere('k.role = :role', { role: f.role });
    if (f.revoked === true) qb.andWhere('k.revokedAt IS NOT NULL');
    if (f.revoked === false) qb.andWhere('k.revokedAt IS NULL');
    if (q) {
      qb.andWhere('(k.name ILIKE :q OR k.prefix ILIKE :q)', {
        q: `%${q.replace(/[\\%_]/g, '\\$&')}%`,
      });
    }
    qb.orderBy(`k.${sort}`, order, 'NULLS LAST').addOrderBy('k.id', 'ASC').skip(skip).take(take);
    const [rows, total] = await qb.getManyAndCount();
    return new Paginated(rows.map(toApiKeyDto), total);
  }

  async get(id: string): Promise<ApiKeyDto> {
    const key = await this.dataSource.getRepository(ApiKeyEntity).findOne({ where: { id } });
    if (!key) throw notFound('API key');
    return toApiKeyDto(key);
  }

  async create(dto: CreateApiKeyDto, actor: Actor): Promise<CreatedApiKeyDto> {
    if (!roleSatisfies(actor.role, dto.role)) {
      throw new AuthException(
        AuthErrorCode.Forbidden,
        `A key's role cannot exceed its creator's (${actor.role})`,
      );
    }
    const { key, prefix, hash } = generateApiKey();
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ApiKeyEntity);
      const saved = await repo.save(
        repo.create({
          name: dto.name,
          role: dto.role,
          prefix,
          secretHash: hash,
          expiresAt: dto.expiresAt ?? null,
          createdById: actor.adminId,
          createdByUsername: actor.username,
        }),
      );
      await this.audit.record(manager, actor, {
        action: 'create',
        targetType: TARGET,
        targetId: saved.id,
        after: {
          name: saved.name,
          role: saved.role,
          prefix,
          expiresAt: saved.expiresAt,
          secretHash: hash,
        },
      });
      return { ...toApiKeyDto(saved), key };
    });
  }

  /** Idempotent: revoking a revoked key keeps its first revocation time. */
  async revoke(id: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ApiKeyEntity);
      const key = await repo
        .createQueryBuilder('k')
        .where('k.id = :id', { id })
        .setLock('pessimistic_write')
        .getOne();
      if (!key) throw notFound('API key');
      if (!roleSatisfies(actor.role, key.role)) {
        throw new AuthException(
          AuthErrorCode.Forbidden,
          `Revoking a ${key.role} key needs that role`,
        );
      }
      if (key.revokedAt) return;
      const revokedAt = new Date();
      await repo.update({ id }, { revokedAt });
      await this.audit.record(manager, actor, {
        action: 'revoke',
        targetType: TARGET,
        targetId: id,
        before: { revokedAt: null },
        after: { revokedAt },
      });
    });
  }
}
