import { apiUrl } from './api-url';
import { type SessionAdmin, writeSession } from './session.store';

interface LoginResponse {
  accessToken: string;
  tokenType?: string;
  /** Seconds until the token expires. */
  expiresIn?: number;
  admin: SessionAdmin;
}

/**
 * `POST /auth/login` and keep the session. Plain fetch, not httpClient: the
 * login page runs before react-admin is loaded, and this keeps it out of the
 * first load. Rejects with the api's message ("Invalid username or password").
 */
export async function signIn({ username, password }: { username: string; password: string }) {
  let response: Response;
  try {
    response = await fetch(apiUrl('/auth/login'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    throw new Error('The api cannot be reached');
  }
  const body = (await response.json().catch(() => null)) as
    (Partial<LoginResponse> & { message?: string | string[] }) | null;
  if (!response.ok || !body?.accessToken || !body.admin) {
    const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
    throw new Error(message || `Sign-in failed (HTTP ${response.status})`);
  }
  writeSession({
    accessToken: body.accessToken,
    expiresAt: body.expiresIn ? Date.now() + body.expiresIn * 1000 : null,
    admin: body.admin,
  });
}
