import * as os from 'node:os';

/**
 * A worker's id: WHARF_WORKER_ID when set, else derived from the hostname, so
 * a restarted worker (or container) keeps its row and its queue `worker.<id>`.
 */
export function workerIdFor(
  configured: string | undefined,
  hostname: string = os.hostname(),
): string {
  if (configured) return configured;
  const slug = hostname
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return `worker-${slug || 'local'}`;
}
