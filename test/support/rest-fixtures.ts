/*
 * REST steps the FTP end-to-end suites share: a plain FTP server pinned to one
 * worker, and a user's usage as the api represents it.
 */
// These suites drive the api test app from test/ on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries
import type { ApiTestApp } from '../../apps/api/src/testing/api-test-app';

/** Creates a server on 127.0.0.1:`port` with 50 passive ports from `passive`, bound only by `workerId`. */
export async function createPinnedServer(
  api: ApiTestApp,
  token: string,
  server: { name: string; port: number; passive: number; workerId: string },
): Promise<{ id: string }> {
  const res = await api.request('POST', '/api/v1/servers', {
    token,
    body: {
      name: server.name,
      bindAddress: '127.0.0.1',
      port: server.port,
      passivePortMin: server.passive,
      passivePortMax: server.passive + 49,
      workerIds: [server.workerId],
    },
  });
  if (res.status !== 201) throw new Error(`server: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

/** `usage` of GET /api/v1/ftp-users/:id (zero before the user's first upload). */
export async function usageOf(
  api: ApiTestApp,
  token: string,
  userId: string,
): Promise<{ usedBytes: number; usedFiles: number }> {
  const res = await api.request('GET', `/api/v1/ftp-users/${userId}`, { token });
  if (res.status !== 200) throw new Error(`user ${userId}: ${res.status}`);
  const view = (res.body as { usage: { usedBytes: number; usedFiles: number } | null }).usage;
  return view ?? { usedBytes: 0, usedFiles: 0 };
}
