import type { DownloadLink } from '@wharf/contracts';
import jsonServerProvider from 'ra-data-json-server';
import type { DataProvider, Identifier, RaRecord } from 'react-admin';

import { API_URL, apiUrl, toQueryString } from './api-url';
import { httpClient } from './http-client';
import { toWritable } from './writable-fields';

/** The api's update verb. Partial bodies are accepted, so PATCH carries only writable fields. */
const UPDATE_METHOD = 'PATCH';

/** `GET /ftp-users/:id/effective`: each limit with where its value came from ("user", "group:<name>", "default"). */
export interface EffectiveSettings {
  userId: string;
  username: string;
  enabled: boolean;
  expiresAt: string | null;
  homeDir: string;
  groups: { id: string; name: string }[];
  limits: Record<string, { value: unknown; source: string }>;
  permissions: { path: string; allow: string[]; source: string }[];
}

export interface BulkImportError {
  line?: number;
  field?: string;
  message: string;
}

export interface BulkImportResult {
  created: number;
}

/** `POST /ftp-users/bulk?dryRun=true` when every row passed the api's checks. */
export interface BulkDryRunResult {
  wouldCreate: number;
  users: { line: number; username: string; homeDir: string; groupIds: string[] }[];
}

export type StatsBucket = 'hour' | 'day';

export interface TransferStats {
  buckets: { at: string; bytesIn: number; bytesOut: number; transfers: number }[];
  topUsers: { username: string; bytes: number }[];
  failedLoginsByIp: { clientIp: string; count: number }[];
  /** Over the requested range, except activeSessions and ftpUsers (now). */
  totals: {
    activeSessions?: number;
    ftpUsers?: number;
    transfers?: number;
    bytesIn?: number;
    bytesOut?: number;
    failedLogins?: number;
  };
}

/** `GET /servers/:id/status`: which workers run a server and whether they listen. */
export interface ServerStatus {
  serverId: string;
  enabled: boolean;
  runsOnAllWorkers: boolean;
  workers: {
    id: string;
    hostname: string | null;
    status: 'online' | 'stale' | 'unknown';
    listening: boolean | null;
  }[];
}

export interface WharfDataProvider extends DataProvider {
  getEffectiveSettings(id: Identifier): Promise<EffectiveSettings>;
  resetPassword(id: Identifier, password: string): Promise<void>;
  /** All or nothing: a bad row rejects with an HttpError whose body.apiErrors lists `{ line, field, message }`. */
  bulkImportFtpUsers(
    payload: { csv: string } | { users: Record<string, unknown>[] },
  ): Promise<BulkImportResult>;
  /** The api's checks of a bulk import, database ones included, without creating anything; rejects like bulkImportFtpUsers. */
  checkFtpUsersImport(
    payload: { csv: string } | { users: Record<string, unknown>[] },
  ): Promise<BulkDryRunResult>;
  getTransferStats(params: {
    from: string;
    to: string;
    bucket: StatsBucket;
  }): Promise<TransferStats>;
  /** Has the browser download `GET /transfers/export.csv` for a filter, through a short-lived link. */
  downloadTransfersCsv(filter: Record<string, unknown>): Promise<void>;
  getServerStatus(id: Identifier): Promise<ServerStatus>;
}

/**
 * PATCH carries only what the admin changed: the audit log then lists real
 * changes, and read-back values (a server's certificate PEM) are not re-sent.
 */
function changedOnly(
  data: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!previous) return data;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (JSON.stringify(value) !== JSON.stringify(previous[key] ?? null)) out[key] = value;
  }
  return out;
}

function postBulk<T = unknown>(
  payload: { csv: string } | { users: Record<string, unknown>[] },
  dryRun: boolean,
) {
  const isCsv = 'csv' in payload;
  return httpClient<T>(apiUrl('/ftp-users/bulk', dryRun ? { dryRun } : undefined), {
    method: 'POST',
    body: isCsv ? payload.csv : JSON.stringify({ users: payload.users }),
    headers: { 'Content-Type': isCsv ? 'text/csv' : 'application/json' },
  });
}

function countOf(json: unknown): number {
  if (json && typeof json === 'object') {
    for (const key of ['created', 'count']) {
      const v = (json as Record<string, unknown>)[key];
      if (typeof v === 'number') return v;
      if (Array.isArray(v)) return v.length;
    }
    const users = (json as Record<string, unknown>).users;
    if (Array.isArray(users)) return users.length;
  }
  return Array.isArray(json) ? json.length : 0;
}

const base = jsonServerProvider(API_URL, httpClient);

export const dataProvider: WharfDataProvider = {
  ...base,

  // One GET per id instead of json-server's `?id=a&id=b`: works with every list endpoint.
  async getMany(resource, params) {
    const records = await Promise.all(
      params.ids.map(async (id) => {
        try {
          const { json } = await httpClient<RaRecord>(
            apiUrl(`/${resource}/${encodeURIComponent(String(id))}`),
            {
              signal: params.signal,
            },
          );
          return json;
        } catch {
          // A dangling reference (deleted group) must not blank the whole field.
          return null;
        }
      }),
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- react-admin types records generically
    return { data: records.filter((r): r is RaRecord => r !== null) as any[] };
  },

  async create(resource, params) {
    const { json } = await httpClient<RaRecord>(apiUrl(`/${resource}`), {
      method: 'POST',
      body: JSON.stringify(toWritable(resource, params.data as Record<string, unknown>, 'create')),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- react-admin types the created record generically
    return { data: { ...params.data, ...json } as any };
  },

  async update(resource, params) {
    const { json } = await httpClient<RaRecord>(
      apiUrl(`/${resource}/${encodeURIComponent(String(params.id))}`),
      {
        method: UPDATE_METHOD,
        body: JSON.stringify(
          changedOnly(
            toWritable(resource, params.data as Record<string, unknown>, 'update'),
            params.previousData as Record<string, unknown> | undefined,
          ),
        ),
      },
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- react-admin types the record generically
    return { data: (json ?? { ...params.previousData, ...params.data }) as any };
  },

  async updateMany(resource, params) {
    await Promise.all(
      params.ids.map((id) =>
        httpClient(apiUrl(`/${resource}/${encodeURIComponent(String(id))}`), {
          method: UPDATE_METHOD,
          body: JSON.stringify(
            toWritable(resource, params.data as Record<string, unknown>, 'update'),
          ),
        }),
      ),
    );
    return { data: params.ids };
  },

  async delete(resource, params) {
    const { json } = await httpClient<RaRecord | null>(
      apiUrl(`/${resource}/${encodeURIComponent(String(params.id))}`),
      { method: 'DELETE' },
    );
    // 204 No Content is a success too: hand back what was deleted.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- react-admin types the record generically
    return { data: (json ?? params.previousData ?? { id: params.id }) as any };
  },

  async deleteMany(resource, params) {
    await Promise.all(
      params.ids.map((id) =>
        httpClient(apiUrl(`/${resource}/${encodeURIComponent(String(id))}`), { method: 'DELETE' }),
      ),
    );
    return { data: params.ids };
  },

  async getEffectiveSettings(id) {
    const { json } = await httpClient<EffectiveSettings>(
      apiUrl(`/ftp-users/${encodeURIComponent(String(id))}/effective`),
    );
    return json;
  },

  async resetPassword(id, password) {
    await httpClient(apiUrl(`/ftp-users/${encodeURIComponent(String(id))}/password`), {
      method: 'POST',
      body: JSON.stringify({ password }),
    });
  },

  async bulkImportFtpUsers(payload) {
    const { json } = await postBulk(payload, false);
    return { created: countOf(json) };
  },

  async checkFtpUsersImport(payload) {
    const { json } = await postBulk<BulkDryRunResult>(payload, true);
    return json;
  },

  async getTransferStats({ from, to, bucket }) {
    const { json } = await httpClient<Partial<TransferStats>>(
      apiUrl('/transfers/stats', { from, to, bucket }),
    );
    return {
      buckets: json?.buckets ?? [],
      topUsers: json?.topUsers ?? [],
      failedLoginsByIp: json?.failedLoginsByIp ?? [],
      totals: json?.totals ?? {},
    };
  },

  async downloadTransfersCsv(filter) {
    // A plain link cannot send the Authorization header, so the api hands out a
    // link with a short-lived token bound to this filter; the browser then
    // streams the file to disk itself instead of holding it in memory.
    const body: Record<string, string[]> = {};
    for (const [key, value] of new URLSearchParams(toQueryString(filter))) {
      (body[key] ??= []).push(value);
    }
    const { json } = await httpClient<DownloadLink>(apiUrl('/transfers/export-tokens'), {
      method: 'POST',
      body: JSON.stringify(body),
    });
    const a = document.createElement('a');
    a.href = json.url;
    a.download = '';
    document.body.appendChild(a);
    a.click();
    a.remove();
  },

  async getServerStatus(id) {
    const { json } = await httpClient<ServerStatus>(
      apiUrl(`/servers/${encodeURIComponent(String(id))}/status`),
    );
    return json;
  },
};
