/** Missed heartbeats after which a worker counts as stale. */
export const MISSED_BEATS_BEFORE_STALE = 3;

export type WorkerLiveness = 'online' | 'stale';

/** Computed by readers from last_heartbeat_at: a dead worker cannot mark itself stale. */
export function workerLiveness(
  lastHeartbeatAt: Date,
  heartbeatSeconds: number,
  now: Date = new Date(),
): WorkerLiveness {
  const ageMs = now.getTime() - lastHeartbeatAt.getTime();
  return ageMs > MISSED_BEATS_BEFORE_STALE * heartbeatSeconds * 1000 ? 'stale' : 'online';
}
