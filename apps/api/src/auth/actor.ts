import type { AdminRole } from '@wharf/contracts';

/** Who is calling: a logged-in admin (JWT) or an API key, with its effective role. */
export interface Actor {
  kind: 'admin' | 'api-key';
  /** The admin, or for an API key the admin who created it (null once deleted). */
  adminId: string | null;
  apiKeyId: string | null;
  /** Admin username, or `key:<name>` for an API key. */
  username: string;
  role: AdminRole;
  /** Client address as Express sees it (honours trust proxy). */
  ip: string;
}
