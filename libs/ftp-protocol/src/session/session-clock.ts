/** What the clock needs from a session. */
export interface Expirable {
  /** Milliseconds (performance.now()) after which the session has been quiet too long. */
  expiresAt(): number;
  /** Called once the deadline passed; the session decides (a running transfer extends it). */
  expire(now: number): void;
}

/** Longest gap between two sweeps: a timeout fires at most this late. */
const MAX_TICK_MS = 1000;
const MIN_TICK_MS = 10;

/**
 * Login and idle timeouts of all sessions of a listener on one timer, instead
 * of a timer per socket (socket.setTimeout keeps a Timeout object per socket
 * and re-arms it on every read and write). Sessions only note the time of
 * their last command bytes; the sweep runs while at least one session exists,
 * every quarter of the shortest timeout (at most once a second), and is unref'd.
 */
export class SessionClock {
  private readonly sessions = new Set<Expirable>();
  private timer: NodeJS.Timeout | null = null;
  private readonly tickMs: number;

  constructor(shortestTimeoutMs: number) {
    this.tickMs = Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, Math.floor(shortestTimeoutMs / 4)));
  }

  add(session: Expirable): void {
    this.sessions.add(session);
    if (this.timer === null) {
      this.timer = setInterval(this.sweep, this.tickMs);
      this.timer.unref();
    }
  }

  delete(session: Expirable): void {
    this.sessions.delete(session);
    if (this.sessions.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  private readonly sweep = (): void => {
    const now = performance.now();
    for (const session of this.sessions) {
      if (session.expiresAt() <= now) session.expire(now);
    }
  };
}
