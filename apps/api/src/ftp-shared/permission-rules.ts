import type { FtpPermission } from '@wharf/contracts';
import { FtpPermissionRule } from '@wharf/database';
import type { EntityManager } from 'typeorm';

import { type FieldError, validationFailed } from '../common/errors';
import { normalizeVirtualPath } from './ftp-validators';

export interface RuleView {
  path: string;
  allow: FtpPermission[];
}

/** Normalised rules, or a 400 naming `permissions[i].path` when two rules share a path. */
export function normalizeRules(rules: readonly RuleView[], field = 'permissions'): RuleView[] {
  const seen = new Map<string, number>();
  const errors: FieldError[] = [];
  const out = rules.map((r, i) => {
    const path = normalizeVirtualPath(r.path);
    if (seen.has(path)) {
      errors.push({
        field: `${field}[${i}].path`,
        message: `path ${path} appears twice (also at ${field}[${seen.get(path)}])`,
      });
    }
    seen.set(path, i);
    return { path, allow: [...r.allow] };
  });
  if (errors.length) throw validationFailed(errors);
  return out;
}

/** Replaces every rule of one owner (user or group) inside the caller's transaction. */
export async function replaceRules(
  manager: EntityManager,
  owner: { userId: string } | { groupId: string },
  rules: readonly RuleView[],
): Promise<void> {
  const userId = 'userId' in owner ? owner.userId : null;
  const groupId = 'groupId' in owner ? owner.groupId : null;
  await manager.delete(FtpPermissionRule, userId ? { userId } : { groupId: groupId! });
  if (rules.length === 0) return;
  await manager.insert(
    FtpPermissionRule,
    rules.map((r) => ({ userId, groupId, path: r.path, allow: r.allow })),
  );
}

/** Rules of many owners at once, grouped by owner id and sorted by path. */
export async function loadRules(
  manager: EntityManager,
  ownerColumn: 'userId' | 'groupId',
  ids: readonly string[],
): Promise<Map<string, RuleView[]>> {
  const result = new Map<string, RuleView[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return result;
  const rows = await manager
    .createQueryBuilder(FtpPermissionRule, 'r')
    .where(`r.${ownerColumn} IN (:...ids)`, { ids })
    .orderBy('r.path', 'ASC')
    .getMany();
  for (const row of rows) {
    result.get(row[ownerColumn]!)?.push({ path: row.path, allow: row.allow });
  }
  return result;
}
