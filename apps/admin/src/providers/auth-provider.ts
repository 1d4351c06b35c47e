import { AdminRole } from '@wharf/contracts';
import type { AuthProvider } from 'react-admin';

import { canAccess } from './access-control';
import { apiUrl } from './api-url';
import { clearSession, readSession } from './session.store';
import { signIn } from './sign-in';

function statusOf(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'status' in error) {
    const status = (error as { status: unknown }).status;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/**
 * JWT auth against /api/v1/auth. The token lives in localStorage (one tab's
 * logout logs every tab out on its next request); a 401 from any call sends the
 * admin back to the login page, a 403 only shows the error.
 */
export const authProvider: AuthProvider = {
  login: signIn,

  async logout() {
    const session = readSession();
    clearSession();
    if (session) {
      // Best effort: the token is gone locally whatever the api answers.
      await fetch(apiUrl('/auth/logout'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${session.accessToken}` },
      }).catch(() => undefined);
    }
  },

  async checkAuth() {
    if (!readSession()) throw new Error('Your session has ended. Please log in again.');
    return Promise.resolve();
  },

  async checkError(error: unknown) {
    if (statusOf(error) === 401) {
      clearSession();
      throw new Error('Your session has ended. Please log in again.');
    }
    // 403 keeps the admin logged in: the page shows the refusal instead.
    return Promise.resolve();
  },

  async getIdentity() {
    const session = readSession();
    if (!session) throw new Error('Not logged in');
    return Promise.resolve({
      id: session.admin.id,
      fullName: `${session.admin.username} (${session.admin.role})`,
    });
  },

  async getPermissions(): Promise<AdminRole | null> {
    return Promise.resolve(readSession()?.admin.role ?? null);
  },

  async canAccess({ resource, action }) {
    return Promise.resolve(canAccess(readSession()?.admin.role ?? null, resource, action));
  },
};
