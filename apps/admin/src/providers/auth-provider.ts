import { AdminRole } from '@wharf/contracts';
import type { AuthProvider } from 'react-admin';

import { canAccess } from './access-control';
import { apiUrl } from './api-url';
import { httpClient } from './http-client';
import { clearSession, readSession, type SessionAdmin, writeSession } from './session.store';

interface LoginResponse {
  accessToken: string;
  tokenType?: string;
  /** Seconds until the token expires. */
  expiresIn?: number;
  admin: SessionAdmin;
}

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
  async login({ username, password }: { username: string; password: string }) {
    const { json } = await httpClient<LoginResponse>(apiUrl('/auth/login'), {
      method: 'POST',
      body: JSON.stringify({ username, password }),
      anonymous: true,
    });
    writeSession({
      accessToken: json.accessToken,
      expiresAt: json.expiresIn ? Date.now() + json.expiresIn * 1000 : null,
      admin: json.admin,
    });
  },

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
