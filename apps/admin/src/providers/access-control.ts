import { AdminRole } from '@wharf/contracts';

/**
 * The api's role matrix (issue 2 section 4), mirrored so menus and buttons
 * follow the role. The api stays the authority: this only hides what it would
 * refuse anyway.
 */
const READ_ACTIONS = new Set(['list', 'show', 'export']);

/** Resources only a superadmin may even see. */
const SUPERADMIN_ONLY = new Set(['admins']);

/** Resources nobody writes from the UI (the api fills them). */
const READ_ONLY = new Set(['workers', 'transfers', 'audit']);

/** Resources an admin (not only a superadmin) may change. */
const ADMIN_WRITABLE = new Set(['ftp-users', 'groups', 'servers', 'sessions', 'api-keys']);

export function canAccess(role: AdminRole | null, resource: string, action: string): boolean {
  if (!role) return false;
  if (SUPERADMIN_ONLY.has(resource)) return role === AdminRole.Superadmin;
  const isRead = READ_ACTIONS.has(action);
  if (isRead) return true;
  if (READ_ONLY.has(resource)) return false;
  switch (role) {
    case AdminRole.Superadmin:
      return true;
    case AdminRole.Admin:
      return ADMIN_WRITABLE.has(resource);
    case AdminRole.Auditor:
      return false;
  }
}

export function canWrite(role: AdminRole | null, resource: string): boolean {
  return canAccess(role, resource, 'edit');
}
