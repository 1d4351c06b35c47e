import type { EntityManager } from 'typeorm';

import { FtpGroup } from '../entities/ftp-group.entity';
import { FtpPermissionRule } from '../entities/ftp-permission-rule.entity';
import { FtpUser } from '../entities/ftp-user.entity';
import { GroupMembership } from '../entities/group-membership.entity';
import {
  type EffectiveSettings,
  LIMIT_KEYS,
  type LimitValues,
  resolveEffectiveSettings,
  type RuleInput,
} from './effective-settings';

export interface EffectiveFtpUser {
  /** The row itself, password hash included: for the worker's login, never for an API response. */
  user: FtpUser;
  /** The user's groups, by name. */
  groups: { id: string; name: string }[];
  settings: EffectiveSettings;
}

function limitsOf(row: FtpUser | FtpGroup): LimitValues {
  const out: Record<string, unknown> = {};
  for (const key of LIMIT_KEYS) out[key] = row[key] ?? null;
  return out as unknown as LimitValues;
}

/**
 * A user with their settings merged with their groups' (see
 * resolveEffectiveSettings), in three queries. By id, or by username
 * case-insensitively (what an FTP login sends). Null when there is no such user.
 */
export async function loadEffectiveFtpUser(
  manager: EntityManager,
  by: { id: string } | { username: string },
): Promise<EffectiveFtpUser | null> {
  const qb = manager.createQueryBuilder(FtpUser, 'u');
  if ('id' in by) qb.where('u.id = :id', { id: by.id });
  else qb.where('lower(u.username) = lower(:username)', { username: by.username });
  const user = await qb.getOne();
  if (!user) return null;

  const groups = await manager
    .createQueryBuilder(FtpGroup, 'g')
    .innerJoin(GroupMembership, 'm', 'm.group_id = g.id AND m.user_id = :id', { id: user.id })
    .orderBy('g.name', 'ASC')
    .getMany();
  const groupIds = groups.map((g) => g.id);
  const rules = await manager
    .createQueryBuilder(FtpPermissionRule, 'r')
    .where('r.user_id = :id', { id: user.id })
    .orWhere(groupIds.length ? 'r.group_id IN (:...groupIds)' : 'false', { groupIds })
    .getMany();
  const rulesOf = (pick: (r: FtpPermissionRule) => boolean): RuleInput[] =>
    rules.filter(pick).map((r) => ({ path: r.path, allow: r.allow }));

  const settings = resolveEffectiveSettings(
    { ...limitsOf(user), rules: rulesOf((r) => r.userId === user.id) },
    groups.map((g) => ({
      ...limitsOf(g),
      name: g.name,
      rules: rulesOf((r) => r.groupId === g.id),
    })),
  );
  return { user, groups: groups.map((g) => ({ id: g.id, name: g.name })), settings };
}
