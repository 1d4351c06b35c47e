import { Injectable } from '@nestjs/common';
import { AdminAuditLogEntity } from '@wharf/database';
import type { EntityManager } from 'typeorm';

import type { Actor } from '../auth/actor';

export interface AuditEntry {
  action: 'create' | 'update' | 'delete' | string;
  targetType: string;
  targetId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export const REDACTED = '[redacted]';
const SECRET_KEY = /password|secret|privatekey|keypem|token|hash/i;

/** JSON-safe copy (Dates -> ISO strings, undefined dropped) with secret-named keys redacted at any depth. */
export function redact(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out[key] = SECRET_KEY.test(key) ? REDACTED : redact(v);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * Only the fields that changed, on both sides. A secret that changed shows as
 * `[redacted]` before and after, so the log says that it changed, never what.
 */
export function auditChanges(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  const b = before ? (redact(before) as Record<string, unknown>) : null;
  const a = after ? (redact(after) as Record<string, unknown>) : null;
  if (!b || !a) return { before: b, after: a };
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const rawBefore = before?.[key];
    const rawAfter = after?.[key];
    const changed = SECRET_KEY.test(key)
      ? rawAfter !== undefined && JSON.stringify(rawBefore) !== JSON.stringify(rawAfter)
      : JSON.stringify(b[key] ?? null) !== JSON.stringify(a[key] ?? null);
    if (!changed) continue;
    changedBefore[key] = b[key] ?? null;
    changedAfter[key] = a[key] ?? null;
  }
  return { before: changedBefore, after: changedAfter };
}

/** Writes admin_audit_log rows inside the caller's transaction. */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, actor: Actor, entry: AuditEntry): Promise<void> {
    const repo = manager.getRepository(AdminAuditLogEntity);
    const row = new AdminAuditLogEntity();
    Object.assign(row, {
      actorKind: actor.kind,
      actorId: actor.kind === 'admin' ? actor.adminId : actor.apiKeyId,
      actorUsername: actor.username,
      actorRole: actor.role,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      changes: auditChanges(entry.before, entry.after),
      clientIp: actor.ip || null,
    } satisfies Partial<AdminAuditLogEntity>);
    await repo.save(row, { reload: false });
  }
}
