import { MISSED_BEATS_BEFORE_STALE } from '../workers/worker-status';

/**
 * SQL condition on a `workers` alias: the worker is alive, i.e. it beat within
 * MISSED_BEATS_BEFORE_STALE heartbeat intervals (the rule of the workers list)
 * and has not said it stopped. Sessions of any other worker are ghosts of a
 * worker that died without cleaning up.
 */
export function liveSessionsClause(workerAlias: string, heartbeatSeconds: number): string {
  const seconds = Math.max(1, Math.round(heartbeatSeconds)) * MISSED_BEATS_BEFORE_STALE;
  return `${workerAlias}."last_heartbeat_at" > now() - interval '${seconds} seconds'
    AND ${workerAlias}."status" <> 'stopped'`;
}
