import { FTP_LIMIT_FIELDS } from '@wharf/contracts';

/**
 * What each resource's create/update DTO accepts. The api rejects unknown
 * fields (mass assignment), so the record react-admin edits (which carries id,
 * usage, timestamps, certificate info...) is trimmed to these before sending.
 * Write-only secrets are sent only when the admin typed one.
 */
export const WRITABLE_FIELDS: Record<string, readonly string[]> = {
  'ftp-users': [
    'username',
    'password',
    'enabled',
    'expiresAt',
    'homeDir',
    ...FTP_LIMIT_FIELDS,
    'permissions',
    'groupIds',
  ],
  groups: ['name', 'description', ...FTP_LIMIT_FIELDS, 'permissions', 'memberIds'],
  servers: [
    'name',
    'bindAddress',
    'port',
    'tlsMode',
    'certPem',
    'keyPem',
    'generateSelfSigned',
    'requireTls',
    'requireTlsSessionReuse',
    'passivePortMin',
    'passivePortMax',
    'publicHost',
    'banner',
    'loginTimeoutS',
    'idleTimeoutS',
    'maxConnections',
    'maxConnectionsPerIp',
    'uploadBandwidth',
    'downloadBandwidth',
    'fsyncUploads',
    'uploadSha256',
    'enabled',
    'workerIds',
  ],
  'api-keys': ['name', 'role', 'expiresAt'],
  admins: ['username', 'password', 'role', 'enabled'],
};

/** Fields never sent back unless the admin filled them in (write-only on the api). */
const SECRETS = new Set(['password', 'certPem', 'keyPem', 'generateSelfSigned']);

/** Optional fields whose absence means "the default"; an empty input sends nothing. */
const OMIT_WHEN_EMPTY = new Set(['homeDir', 'expiresAt']);

/** Fields the api fixes at creation; updating them is refused. */
const CREATE_ONLY: Record<string, ReadonlySet<string>> = {
  'api-keys': new Set(['name', 'role', 'expiresAt']),
};

export function toWritable(
  resource: string,
  data: Record<string, unknown>,
  mode: 'create' | 'update',
): Record<string, unknown> {
  const fields = WRITABLE_FIELDS[resource];
  if (!fields) return data;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!(field in data)) continue;
    const value = data[field];
    if (value === undefined) continue;
    if (SECRETS.has(field) && (value === '' || value === null || value === false)) continue;
    if (mode === 'create' && OMIT_WHEN_EMPTY.has(field) && (value === '' || value === null))
      continue;
    if (field === 'homeDir' && (value === '' || value === null)) continue;
    if (mode === 'update' && CREATE_ONLY[resource]?.has(field)) continue;
    out[field] = value;
  }
  return out;
}
