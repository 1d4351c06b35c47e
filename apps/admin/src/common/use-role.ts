import type { AdminRole } from '@wharf/contracts';
import { usePermissions } from 'react-admin';

import { canWrite } from '../providers/access-control';

export function useRole(): AdminRole | null {
  const { permissions } = usePermissions<AdminRole | null>();
  return permissions ?? null;
}

/** Whether the logged-in admin may change this resource (hides buttons that would get a 403). */
export function useCanWrite(resource: string): boolean {
  return canWrite(useRole(), resource);
}
