import { Injectable } from '@nestjs/common';
import { ALL_FTP_PERMISSIONS } from '@wharf/contracts';
import {
  FtpGroup,
  FtpUser,
  GroupMembership,
  hashPassword,
  LIMIT_KEYS,
  type LimitValues,
  loadEffectiveFtpUser,
  UsageEntity,
} from '@wharf/database';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource, type EntityManager, In } from 'typeorm';

import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import {
  type FieldError,
  flattenValidationErrors,
  notFound,
  validationFailed,
} from '../common/errors';
import { type ListQuery, Paginated, parseListQuery } from '../common/list-query';
import { normalizeHomeDir } from '../ftp-shared/ftp-validators';
import {
  loadRules,
  normalizeRules,
  replaceRules,
  type RuleView,
} from '../ftp-shared/permission-rules';
import { WorkerNudgesService } from '../ftp-shared/worker-nudges.service';
import { type BulkRow, rowsFromCsv, rowsFromJson } from './bulk-rows';
import type { EffectiveSettingsView } from './dto/effective-settings.dto';
import {
  type BulkDryRunView,
  BulkFtpUserDto,
  type CreateFtpUserDto,
  type FtpUserView,
  type ReplaceFtpUserDto,
  type UpdateFtpUserDto,
} from './dto/ftp-user.dto';
import { FtpHomeService } from './ftp-home.service';

const TARGET = 'ftp-user';

export const FTP_USER_LIST_SPEC = {
  sortable: ['username', 'createdAt', 'updatedAt', 'lastLoginAt', 'enabled', 'expiresAt'],
  defaultSort: 'username',
  filters: { username: 'string', enabled: 'boolean', groupId: 'uuid' },
} as const;

const SORT_COLUMNS: Record<string, string> = {
  username: 'lower(u.username)',
  createdAt: 'u.created_at',
  updatedAt: 'u.updated_at',
  lastLoginAt: 'u.last_login_at',
  enabled: 'u.enabled',
  expiresAt: 'u.expires_at',
};

const DEFAULT_RULES: RuleView[] = [{ path: '/', allow: [...ALL_FTP_PERMISSIONS] }];

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function limitsOf(source: Partial<LimitValues>, fillNull: boolean): Partial<LimitValues> {
  const out: Partial<LimitValues> = {};
  for (const key of LIMIT_KEYS) {
    const v = source[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
    else if (fillNull) (out as Record<string, unknown>)[key] = null;
  }
  return out;
}

/** The audit snapshot of a user: every field an admin can set, never a secret. */
function snapshot(user: FtpUser, rules: RuleView[], groupIds: string[]): Record<string, unknown> {
  return {
    username: user.username,
    enabled: user.enabled,
    expiresAt: user.expiresAt,
    homeDir: user.homeDir,
    ...limitsOf(user, true),
    permissions: rules,
    groupIds: [...groupIds].sort(),
  };
}

@Injectable()
export class FtpUsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly homes: FtpHomeService,
    private readonly nudges: WorkerNudgesService,
  ) {}

  async list(query: Record<string, unknown>): Promise<Paginated<FtpUserView>> {
    const q: ListQuery = parseListQuery(query, {
      ...FTP_USER_LIST_SPEC,
      sortable: [...FTP_USER_LIST_SPEC.sortable],
      filters: { ...FTP_USER_LIST_SPEC.filters },
    });
    const qb = this.dataSource.getRepository(FtpUser).createQueryBuilder('u');
    if (q.q) qb.andWhere(`u.username ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(q.q)}%` });
    if (q.ids.length) qb.andWhere('u.id IN (:...ids)', { ids: q.ids });
    const f = q.filters;
    if (typeof f.username === 'string') {
      qb.andWhere('lower(u.username) = lower(:username)', { username: f.username });
    }
    if (typeof f.enabled === 'boolean') qb.andWhere('u.enabled = :enabled', { enabled: f.enabled });
    if (typeof f.groupId === 'string') {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM group_memberships m WHERE m.user_id = u.id AND m.group_id = :groupId)',
        { groupId: f.groupId },
      );
    }
    qb.orderBy(SORT_COLUMNS[q.sort]!, q.order, q.order === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST')
      .addOrderBy('u.id', 'ASC')
      .skip(q.skip)
      .take(q.take);
    const [users, total] = await qb.getManyAndCount();
    return new Paginated(await this.views(this.dataSource.manager, users), total);
  }

  async get(id: string): Promise<FtpUserView> {
    const user = await this.dataSource.getRepository(FtpUser).findOneBy({ id });
    if (!user) throw notFound('FTP user');
    return (await this.views(this.dataSource.manager, [user]))[0]!;
  }

  async create(dto: CreateFtpUserDto, actor: Actor): Promise<FtpUserView> {
    const rules = normalizeRules(dto.permissions ?? DEFAULT_RULES);
    const groupIds = dto.groupIds ?? [];
    const passwordHash = await hashPassword(dto.password);
    return this.dataSource.transaction(async (manager) => {
      await this.assertGroupsExist(manager, groupIds);
      const user = await this.insertUser(manager, dto, passwordHash, rules, groupIds);
      await this.audit.record(manager, actor, {
        action: 'create',
        targetType: TARGET,
        targetId: user.id,
        before: null,
        after: snapshot(user, rules, groupIds),
      });
      return (await this.views(manager, [user]))[0]!;
    });
  }

  async update(
    id: string,
    dto: UpdateFtpUserDto | ReplaceFtpUserDto,
    actor: Actor,
    mode: 'patch' | 'put',
  ): Promise<FtpUserView> {
    const put = mode === 'put';
    const rules = dto.permissions
      ? normalizeRules(dto.permissions)
      : put
        ? DEFAULT_RULES
        : undefined;
    const groupIds = dto.groupIds ?? (put ? [] : undefined);
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    const view = await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(FtpUser, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw notFound('FTP user');
      const beforeRules = (await loadRules(manager, 'userId', [id])).get(id)!;
      const beforeGroups = await this.groupIdsOf(manager, id);
      const before = snapshot(user, beforeRules, beforeGroups);

      if (dto.username !== undefined) user.username = dto.username;
      if (dto.enabled !== undefined || put) user.enabled = dto.enabled ?? true;
      if (dto.expiresAt !== undefined || put) {
        user.expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
      }
      const homeChanged = dto.homeDir !== undefined || put;
      if (homeChanged) user.homeDir = normalizeHomeDir(dto.homeDir ?? user.username);
      Object.assign(user, limitsOf(dto, put));
      if (passwordHash) user.passwordHash = passwordHash;
      await manager.save(user);

      if (rules) await replaceRules(manager, { userId: id }, rules);
      if (groupIds) {
        await this.assertGroupsExist(manager, groupIds);
        await manager.delete(GroupMembership, { userId: id });
        if (groupIds.length) {
          await manager.insert(
            GroupMembership,
            groupIds.map((groupId) => ({ userId: id, groupId })),
          );
        }
      }
      if (homeChanged) await this.homes.ensure(user.homeDir);

      const after = snapshot(user, rules ?? beforeRules, groupIds ?? beforeGroups);
      if (passwordHash) after.password = 'changed';
      await this.audit.record(manager, actor, {
        action: 'update',
        targetType: TARGET,
        targetId: id,
        before,
        after,
      });
      return (await this.views(manager, [user]))[0]!;
    });
    await this.nudges.userChanged(id, !view.enabled);
    return view;
  }

  async resetPassword(id: string, password: string, actor: Actor): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.update(FtpUser, { id }, { passwordHash });
      if (!result.affected) throw notFound('FTP user');
      await this.audit.record(manager, actor, {
        action: 'reset-password',
        targetType: TARGET,
        targetId: id,
        before: {},
        after: { password: 'changed' },
      });
    });
    await this.nudges.userChanged(id, false);
  }

  /** Deletes the account; the files in its home directory are kept. */
  async remove(id: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(FtpUser, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw notFound('FTP user');
      const rules = (await loadRules(manager, 'userId', [id])).get(id)!;
      const before = snapshot(user, rules, await this.groupIdsOf(manager, id));
      await manager.delete(FtpUser, { id });
      await this.audit.record(manager, actor, {
        action: 'delete',
        targetType: TARGET,
        targetId: id,
        before,
        after: null,
      });
    });
    await this.nudges.userChanged(id, true);
  }

  async effective(id: string): Promise<EffectiveSettingsView> {
    const found = await loadEffectiveFtpUser(this.dataSource.manager, { id });
    if (!found) throw notFound('FTP user');
    const { user, groups, settings } = found;
    return {
      userId: user.id,
      username: user.username,
      enabled: user.enabled,
      expiresAt: user.expiresAt?.toISOString() ?? null,
      homeDir: user.homeDir,
      groups,
      limits: settings.limits,
      permissions: settings.permissions,
    };
  }

  /**
   * All-or-nothing provisioning. Every row is validated first (DTO rules,
   * duplicates inside the input, usernames already taken, unknown groups);
   * any problem -> 400 listing each one with its line and field, and nothing
   * is written. Otherwise every user is created in one transaction.
   */
  async bulk(
    input: { csv: string } | { json: unknown },
    actor: Actor,
  ): Promise<{ created: number; users: FtpUserView[] }> {
    const { valid, groupIdsOf } = await this.checkBulk(input);

    // argon2id costs ~20-50 ms and 19 MiB each: two at a time is enough for 2 cores.
    const hashes: string[] = new Array<string>(valid.length);
    let next = 0;
    const hashWorker = async () => {
      while (next < valid.length) {
        const i = next++;
        hashes[i] = await hashPassword(valid[i]!.dto.password);
      }
    };
    await Promise.all([hashWorker(), hashWorker()]);

    return this.dataSource.transaction(async (tx) => {
      const users: FtpUser[] = [];
      for (const [i, { line, dto, rules }] of valid.entries()) {
        const groupIds = groupIdsOf.get(line)!;
        const user = await this.insertUser(tx, dto, hashes[i]!, rules, groupIds);
        await this.audit.record(tx, actor, {
          action: 'create',
          targetType: TARGET,
          targetId: user.id,
          before: null,
          after: { ...snapshot(user, rules, groupIds), bulk: true },
        });
        users.push(user);
      }
      return { created: users.length, users: await this.views(tx, users) };
    });
  }

  /**
   * `?dryRun=true`: every check of bulk() against the current database, the
   * same 400 for the same input, and on success the users it would create;
   * nothing is hashed, written or audited.
   */
  async bulkDryRun(input: { csv: string } | { json: unknown }): Promise<BulkDryRunView> {
    const { valid, groupIdsOf } = await this.checkBulk(input);
    return {
      dryRun: true,
      created: 0,
      wouldCreate: valid.length,
      users: valid.map(({ line, dto, rules }) => ({
        line,
        username: dto.username,
        enabled: dto.enabled ?? true,
        homeDir: normalizeHomeDir(dto.homeDir ?? dto.username),
        groupIds: groupIdsOf.get(line)!,
        permissions: rules,
      })),
    };
  }

  /** Parses and validates a bulk body; any problem is one 400 listing every row's errors. */
  private async checkBulk(input: { csv: string } | { json: unknown }): Promise<{
    valid: { line: number; dto: BulkFtpUserDto; rules: RuleView[] }[];
    groupIdsOf: Map<number, string[]>;
  }> {
    const parsed = 'csv' in input ? rowsFromCsv(input.csv) : rowsFromJson(input.json);
    const errors: FieldError[] = [...parsed.errors];
    const valid: { line: number; dto: BulkFtpUserDto; rules: RuleView[] }[] = [];
    for (const row of parsed.rows) {
      const checked = await this.validateRow(row);
      if ('errors' in checked) errors.push(...checked.errors);
      else valid.push({ line: row.line, ...checked });
    }

    const firstLine = new Map<string, number>();
    for (const { line, dto } of valid) {
      const key = dto.username.toLowerCase();
      const first = firstLine.get(key);
      if (first !== undefined) {
        errors.push({
          line,
          field: 'username',
          message: `username ${dto.username} appears twice in the input (first at line ${first})`,
        });
      } else firstLine.set(key, line);
    }

    const manager = this.dataSource.manager;
    if (firstLine.size) {
      const taken: { username: string }[] = await manager.query(
        `SELECT username FROM ftp_users WHERE lower(username) = ANY($1::text[])`,
        [[...firstLine.keys()]],
      );
      const takenSet = new Set(taken.map((t) => t.username.toLowerCase()));
      for (const { line, dto } of valid) {
        if (
          takenSet.has(dto.username.toLowerCase()) &&
          firstLine.get(dto.username.toLowerCase()) === line
        ) {
          errors.push({
            line,
            field: 'username',
            message: `username ${dto.username} already exists`,
          });
        }
      }
    }

    const names = [
      ...new Set(valid.flatMap((v) => v.dto.groups ?? []).map((n) => n.toLowerCase())),
    ];
    const ids = [...new Set(valid.flatMap((v) => v.dto.groupIds ?? []))];
    const found: { id: string; name: string }[] =
      names.length || ids.length
        ? await manager.query(
            `SELECT id, name FROM groups WHERE lower(name) = ANY($1::text[]) OR id = ANY($2::uuid[])`,
            [names, ids],
          )
        : [];
    const byName = new Map(found.map((g) => [g.name.toLowerCase(), g.id]));
    const byId = new Set(found.map((g) => g.id));
    const groupIdsOf = new Map<number, string[]>();
    for (const { line, dto } of valid) {
      const resolved = new Set<string>();
      for (const name of dto.groups ?? []) {
        const gid = byName.get(name.toLowerCase());
        if (gid) resolved.add(gid);
        else errors.push({ line, field: 'groups', message: `group ${name} does not exist` });
      }
      for (const gid of dto.groupIds ?? []) {
        if (byId.has(gid)) resolved.add(gid);
        else errors.push({ line, field: 'groupIds', message: `group ${gid} does not exist` });
      }
      groupIdsOf.set(line, [...resolved]);
    }

    if (errors.length) {
      throw validationFailed(
        errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.field.localeCompare(b.field)),
      );
    }
    return { valid, groupIdsOf };
  }

  private async validateRow(
    row: BulkRow,
  ): Promise<{ errors: FieldError[] } | { dto: BulkFtpUserDto; rules: RuleView[] }> {
    if (typeof row.data !== 'object' || row.data === null || Array.isArray(row.data)) {
      return {
        errors: [{ line: row.line, field: 'user', message: 'each user must be an object' }],
      };
    }
    const dto = plainToInstance(BulkFtpUserDto, row.data);
    // Same options as the global ValidationPipe: one message per field.
    const problems = await validate(dto, {
      whitelist: true,
      forbidNonWhitelisted: true,
      stopAtFirstError: true,
    });
    if (problems.length) {
      return {
        errors: flattenValidationErrors(problems).map((e) => ({ ...e, line: row.line })),
      };
    }
    try {
      return { dto, rules: normalizeRules(dto.permissions ?? DEFAULT_RULES) };
    } catch (error) {
      const body = (error as { getResponse?: () => { errors?: FieldError[] } }).getResponse?.();
      if (!body?.errors) throw error;
      return { errors: body.errors.map((e) => ({ ...e, line: row.line })) };
    }
  }

  private async insertUser(
    manager: EntityManager,
    dto: CreateFtpUserDto,
    passwordHash: string,
    rules: RuleView[],
    groupIds: string[],
  ): Promise<FtpUser> {
    const user = manager.create(FtpUser, {
      username: dto.username,
      passwordHash,
      enabled: dto.enabled ?? true,
      expiresAt: dto.expiresAt ? new Date(dto.expiresAt) : null,
      homeDir: normalizeHomeDir(dto.homeDir ?? dto.username),
      ...limitsOf(dto, true),
      lastLoginAt: null,
    });
    const saved = await manager.save(user);
    await replaceRules(manager, { userId: saved.id }, rules);
    if (groupIds.length) {
      await manager.insert(
        GroupMembership,
        groupIds.map((groupId) => ({ userId: saved.id, groupId })),
      );
    }
    await this.homes.ensure(saved.homeDir);
    return saved;
  }

  private async assertGroupsExist(manager: EntityManager, groupIds: string[]): Promise<void> {
    if (groupIds.length === 0) return;
    const found = await manager.find(FtpGroup, {
      where: { id: In(groupIds) },
      select: { id: true },
    });
    const known = new Set(found.map((g) => g.id));
    const errors = groupIds
      .map((gid, i) => ({ gid, i }))
      .filter(({ gid }) => !known.has(gid))
      .map(({ gid, i }) => ({ field: `groupIds[${i}]`, message: `group ${gid} does not exist` }));
    if (errors.length) throw validationFailed(errors);
  }

  private async groupIdsOf(manager: EntityManager, userId: string): Promise<string[]> {
    const rows = await manager.find(GroupMembership, { where: { userId } });
    return rows.map((r) => r.groupId).sort();
  }

  /** API representations of users, with rules, group ids and usage, in 3 queries. */
  private async views(manager: EntityManager, users: FtpUser[]): Promise<FtpUserView[]> {
    const ids = users.map((u) => u.id);
    const rules = await loadRules(manager, 'userId', ids);
    const memberships = ids.length
      ? await manager.find(GroupMembership, { where: { userId: In(ids) } })
      : [];
    const usage = ids.length
      ? await manager.find(UsageEntity, { where: { ftpUserId: In(ids) } })
      : [];
    const usageById = new Map(usage.map((u) => [u.ftpUserId, u]));
    return users.map((u) => {
      const use = usageById.get(u.id);
      return {
        id: u.id,
        username: u.username,
        enabled: u.enabled,
        expiresAt: u.expiresAt?.toISOString() ?? null,
        homeDir: u.homeDir,
        quotaBytes: u.quotaBytes,
        quotaFiles: u.quotaFiles,
        uploadQuotaBytes: u.uploadQuotaBytes,
        downloadQuotaBytes: u.downloadQuotaBytes,
        quotaPeriod: u.quotaPeriod,
        uploadBandwidth: u.uploadBandwidth,
        downloadBandwidth: u.downloadBandwidth,
        maxSessions: u.maxSessions,
        allowedIps: u.allowedIps,
        requireTls: u.requireTls,
        permissions: rules.get(u.id) ?? [],
        groupIds: memberships
          .filter((m) => m.userId === u.id)
          .map((m) => m.groupId)
          .sort(),
        usage: use
          ? {
              usedBytes: use.usedBytes,
              usedFiles: use.usedFiles,
              periodUploadBytes: use.periodUploadBytes,
              periodDownloadBytes: use.periodDownloadBytes,
              periodStart: use.periodStart?.toISOString() ?? null,
            }
          : null,
        lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
        createdAt: u.createdAt.toISOString(),
        updatedAt: u.updatedAt.toISOString(),
      };
    });
  }
}
