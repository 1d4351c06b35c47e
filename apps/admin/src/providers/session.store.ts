import { AdminRole } from '@wharf/contracts';

/** The logged-in admin as the api's login response describes it. */
export interface SessionAdmin {
  id: string;
  username: string;
  role: AdminRole;
}

interface StoredSession {
  accessToken: string;
  /** Epoch milliseconds; the token is dropped locally once it is past. */
  expiresAt: number | null;
  admin: SessionAdmin;
}

// One key so a half-written session can never be read back.
const STORAGE_KEY = 'wharf.admin.session';

function isRole(value: unknown): value is AdminRole {
  return Object.values(AdminRole).includes(value as AdminRole);
}

export function readSession(): StoredSession | null {
  const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.accessToken !== 'string' || !parsed.admin || !isRole(parsed.admin.role)) {
      return null;
    }
    if (parsed.expiresAt != null && parsed.expiresAt <= Date.now()) {
      clearSession();
      return null;
    }
    return {
      accessToken: parsed.accessToken,
      expiresAt: parsed.expiresAt ?? null,
      admin: parsed.admin,
    };
  } catch {
    // A corrupted entry must not brick the app: treat it as logged out.
    clearSession();
    return null;
  }
}

export function writeSession(session: StoredSession): void {
  globalThis.localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  globalThis.localStorage?.removeItem(STORAGE_KEY);
}

export function currentToken(): string | null {
  return readSession()?.accessToken ?? null;
}

export function currentRole(): AdminRole | null {
  return readSession()?.admin.role ?? null;
}
