import { Injectable } from '@nestjs/common';

export interface LoginRateLimits {
  /** Failed logins allowed per username within the window. */
  perUsername: number;
  /** Failed logins allowed per client IP within the window. */
  perIp: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_RATE_LIMITS: LoginRateLimits = {
  perUsername: 5,
  perIp: 20,
  windowMs: 15 * 60 * 1000,
};

export const LOGIN_RATE_LIMITS = Symbol('LOGIN_RATE_LIMITS');

/**
 * Sliding window of failed admin logins, per IP and per username
 * (case-insensitive). In memory: limits apply per api process, and restart
 * clears them; with several api replicas an attacker gets N times the budget
 * (documented in docs/api.md). Memory is bounded by pruning on every check.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();
  private recordsSinceSweep = 0;

  constructor(private readonly limits: LoginRateLimits = DEFAULT_LOGIN_RATE_LIMITS) {}

  /** Seconds until another attempt is allowed, or 0 when allowed now. */
  retryAfterSeconds(ip: string, username: string, now = Date.now()): number {
    const waits = [
      this.wait(`ip:${ip}`, this.limits.perIp, now),
      this.wait(`user:${username.toLowerCase()}`, this.limits.perUsername, now),
    ];
    return Math.max(...waits);
  }

  recordFailure(ip: string, username: string, now = Date.now()): void {
    if (++this.recordsSinceSweep >= 1000) {
      this.recordsSinceSweep = 0;
      for (const key of [...this.failures.keys()]) this.recent(key, now);
    }
    for (const key of [`ip:${ip}`, `user:${username.toLowerCase()}`]) {
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
  }

  /** A successful login clears the username's failures (not the IP's). */
  recordSuccess(username: string): void {
    this.failures.delete(`user:${username.toLowerCase()}`);
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  private wait(key: string, limit: number, now: number): number {
    const list = this.recent(key, now);
    if (list.length < limit) return 0;
    const oldestThatCounts = list[list.length - limit]!;
    return Math.max(1, Math.ceil((oldestThatCounts + this.limits.windowMs - now) / 1000));
  }
}
