import { FTP_LIMIT_FIELDS, type FtpPermission, FtpPermission as P } from '@wharf/contracts';

import type { QuotaPeriod } from '../entities/ftp-limits.columns';

/**
 * How a user's settings combine with those of their groups. One function,
 * used by the API (`GET /ftp-users/:id/effective`) and by the worker at
 * login, so what the admin sees is what the FTP server enforces.
 *
 * Rules (docs/design/2026-11-25-ftp-user-effective-settings.md):
 * - A non-null value on the user always wins.
 * - Otherwise, among the groups that set a value, the most permissive wins:
 *   the largest number for quotas, bandwidths and max sessions; `false` for
 *   requireTls; the union of all groups' lists for allowedIps. quotaPeriod,
 *   which has no "more permissive", comes from the first group (by name) that
 *   sets it. Ties go to the first group by name.
 * - When nobody sets it: the default (unlimited / any address / TLS optional /
 *   monthly period).
 * - Permission rules: the user's rule for a path replaces the groups' rules
 *   for that same path; groups' rules for one path are united. At check time
 *   the rule with the longest matching path prefix wins; no matching rule
 *   means nothing is allowed.
 */

export interface LimitValues {
  quotaBytes: number | null;
  quotaFiles: number | null;
  uploadQuotaBytes: number | null;
  downloadQuotaBytes: number | null;
  quotaPeriod: QuotaPeriod | null;
  uploadBandwidth: number | null;
  downloadBandwidth: number | null;
  maxSessions: number | null;
  allowedIps: string[] | null;
  requireTls: boolean | null;
}

export const LIMIT_KEYS: readonly (keyof LimitValues)[] = FTP_LIMIT_FIELDS;

/** `user`, `group:<name>` (several joined by `,` for united lists), or `default`. */
export type SettingSource = string;

export interface Sourced<T> {
  value: T;
  source: SettingSource;
}

export interface EffectiveLimits {
  quotaBytes: Sourced<number | null>;
  quotaFiles: Sourced<number | null>;
  uploadQuotaBytes: Sourced<number | null>;
  downloadQuotaBytes: Sourced<number | null>;
  quotaPeriod: Sourced<QuotaPeriod>;
  uploadBandwidth: Sourced<number | null>;
  downloadBandwidth: Sourced<number | null>;
  maxSessions: Sourced<number | null>;
  allowedIps: Sourced<string[] | null>;
  requireTls: Sourced<boolean>;
}

export interface RuleInput {
  path: string;
  allow: readonly FtpPermission[];
}

export interface GroupInput extends LimitValues {
  name: string;
  rules: readonly RuleInput[];
}

export interface EffectiveRule {
  path: string;
  allow: FtpPermission[];
  source: SettingSource;
}

export interface EffectiveSettings {
  limits: EffectiveLimits;
  permissions: EffectiveRule[];
}

const groupSource = (names: string[]): SettingSource => names.map((n) => `group:${n}`).join(',');

function largest(
  user: number | null,
  groups: readonly GroupInput[],
  pick: (g: GroupInput) => number | null,
): Sourced<number | null> {
  if (user !== null) return { value: user, source: 'user' };
  let best: Sourced<number | null> = { value: null, source: 'default' };
  for (const g of groups) {
    const v = pick(g);
    if (v !== null && (best.value === null || v > best.value)) {
      best = { value: v, source: groupSource([g.name]) };
    }
  }
  return best;
}

const PERMISSION_ORDER: readonly FtpPermission[] = Object.values(P);

function sortedPermissions(set: Iterable<FtpPermission>): FtpPermission[] {
  const s = new Set(set);
  return PERMISSION_ORDER.filter((p) => s.has(p));
}

export function resolveEffectiveSettings(
  user: LimitValues & { rules: readonly RuleInput[] },
  groupsInAnyOrder: readonly GroupInput[],
): EffectiveSettings {
  const groups = [...groupsInAnyOrder].sort((a, b) => a.name.localeCompare(b.name));

  let requireTls: Sourced<boolean> = { value: false, source: 'default' };
  if (user.requireTls !== null) requireTls = { value: user.requireTls, source: 'user' };
  else {
    const setters = groups.filter((g) => g.requireTls !== null);
    const relaxed = setters.find((g) => g.requireTls === false);
    const first = relaxed ?? setters[0];
    if (first) requireTls = { value: first.requireTls!, source: groupSource([first.name]) };
  }

  let allowedIps: Sourced<string[] | null> = { value: null, source: 'default' };
  if (user.allowedIps !== null) allowedIps = { value: [...user.allowedIps], source: 'user' };
  else {
    const setters = groups.filter((g) => g.allowedIps !== null);
    if (setters.length > 0) {
      allowedIps = {
        value: [...new Set(setters.flatMap((g) => g.allowedIps!))],
        source: groupSource(setters.map((g) => g.name)),
      };
    }
  }

  let quotaPeriod: Sourced<QuotaPeriod> = { value: 'month', source: 'default' };
  if (user.quotaPeriod !== null) quotaPeriod = { value: user.quotaPeriod, source: 'user' };
  else {
    const first = groups.find((g) => g.quotaPeriod !== null);
    if (first) quotaPeriod = { value: first.quotaPeriod!, source: groupSource([first.name]) };
  }

  const limits: EffectiveLimits = {
    quotaBytes: largest(user.quotaBytes, groups, (g) => g.quotaBytes),
    quotaFiles: largest(user.quotaFiles, groups, (g) => g.quotaFiles),
    uploadQuotaBytes: largest(user.uploadQuotaBytes, groups, (g) => g.uploadQuotaBytes),
    downloadQuotaBytes: largest(user.downloadQuotaBytes, groups, (g) => g.downloadQuotaBytes),
    quotaPeriod,
    uploadBandwidth: largest(user.uploadBandwidth, groups, (g) => g.uploadBandwidth),
    downloadBandwidth: largest(user.downloadBandwidth, groups, (g) => g.downloadBandwidth),
    maxSessions: largest(user.maxSessions, groups, (g) => g.maxSessions),
    allowedIps,
    requireTls,
  };

  const byPath = new Map<string, EffectiveRule>();
  for (const r of user.rules) {
    byPath.set(r.path, { path: r.path, allow: sortedPermissions(r.allow), source: 'user' });
  }
  const groupRules = new Map<string, { allow: Set<FtpPermission>; names: string[] }>();
  for (const g of groups) {
    for (const r of g.rules) {
      if (byPath.has(r.path)) continue;
      const entry = groupRules.get(r.path) ?? { allow: new Set<FtpPermission>(), names: [] };
      r.allow.forEach((p) => entry.allow.add(p));
      entry.names.push(g.name);
      groupRules.set(r.path, entry);
    }
  }
  for (const [path, entry] of groupRules) {
    byPath.set(path, {
      path,
      allow: sortedPermissions(entry.allow),
      source: groupSource(entry.names),
    });
  }
  const permissions = [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
  return { limits, permissions };
}

/** True when `prefix` is `path` itself or one of its ancestors ("/a" covers "/a/b", not "/ab"). */
export function pathHasPrefix(path: string, prefix: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The rule governing a virtual path: the longest matching prefix, or undefined (deny). */
export function ruleForPath<R extends { path: string }>(
  rules: readonly R[],
  path: string,
): R | undefined {
  let best: R | undefined;
  for (const r of rules) {
    if (pathHasPrefix(path, r.path) && (!best || r.path.length > best.path.length)) best = r;
  }
  return best;
}

export function isAllowed(
  rules: readonly EffectiveRule[],
  path: string,
  permission: FtpPermission,
): boolean {
  return ruleForPath(rules, path)?.allow.includes(permission) ?? false;
}
