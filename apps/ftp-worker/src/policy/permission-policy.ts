import { FtpPermission } from '@wharf/contracts';
import { type EffectiveRule, ruleForPath } from '@wharf/database';
import type { AuthorizationResult, FtpOperation } from '@wharf/ftp-protocol';

/** Engine operation -> permission of the data model (chmod is governed by `mfmt`). */
const PERMISSION_FOR: Record<FtpOperation, FtpPermission> = {
  list: FtpPermission.List,
  download: FtpPermission.Download,
  upload: FtpPermission.Upload,
  overwrite: FtpPermission.Overwrite,
  append: FtpPermission.Append,
  delete: FtpPermission.Delete,
  rename: FtpPermission.Rename,
  mkdir: FtpPermission.Mkdir,
  rmdir: FtpPermission.Rmdir,
  mfmt: FtpPermission.Mfmt,
  chmod: FtpPermission.Mfmt,
};

/**
 * Decides one operation on one virtual path from the user's effective rules
 * (user + groups, merged by resolveEffectiveSettings): the rule with the
 * longest matching path prefix wins; no rule means no access. The refusal
 * text goes to the client with the 550, so it names the permission and the
 * rule's path, which are the user's own virtual paths.
 */
export function authorizeByRules(
  rules: readonly EffectiveRule[],
  operation: FtpOperation,
  path: string,
): AuthorizationResult {
  const permission = PERMISSION_FOR[operation];
  const rule = ruleForPath(rules, path);
  if (!rule) return `Permission denied: no rule grants access to ${path}.`;
  if (rule.allow.includes(permission)) return true;
  return `Permission denied: "${permission}" is not allowed under ${rule.path}.`;
}
