import { LoginRateLimiter } from './login-rate-limiter';

describe('LoginRateLimiter', () => {
  const limits = { perUsername: 2, perIp: 3, windowMs: 10_000 };

  it('blocks a username after its failures and says for how long', () => {
    const l = new LoginRateLimiter(limits);
    l.recordFailure('1.1.1.1', 'Bob', 0);
    expect(l.retryAfterSeconds('2.2.2.2', 'bob', 1000)).toBe(0);
    l.recordFailure('3.3.3.3', 'BOB', 1000);
    expect(l.retryAfterSeconds('4.4.4.4', 'bob', 2000)).toBe(8);
  });

  it('forgets failures once they leave the window (sliding)', () => {
    const l = new LoginRateLimiter(limits);
    l.recordFailure('1.1.1.1', 'bob', 0);
    l.recordFailure('1.1.1.1', 'bob', 5000);
    expect(l.retryAfterSeconds('1.1.1.1', 'bob', 9999)).toBe(1);
    expect(l.retryAfterSeconds('1.1.1.1', 'bob', 10_001)).toBe(0);
  });

  it('blocks an IP across usernames', () => {
    const l = new LoginRateLimiter(limits);
    for (const u of ['a', 'b', 'c']) l.recordFailure('9.9.9.9', u, 0);
    expect(l.retryAfterSeconds('9.9.9.9', 'd', 1)).toBeGreaterThan(0);
    expect(l.retryAfterSeconds('8.8.8.8', 'd', 1)).toBe(0);
  });

  it('a success clears the username but not the IP', () => {
    const l = new LoginRateLimiter(limits);
    l.recordFailure('9.9.9.9', 'a', 0);
    l.recordFailure('9.9.9.9', 'a', 0);
    l.recordFailure('9.9.9.9', 'b', 0);
    l.recordSuccess('a');
    expect(l.retryAfterSeconds('8.8.8.8', 'a', 1)).toBe(0);
    expect(l.retryAfterSeconds('9.9.9.9', 'x', 1)).toBeGreaterThan(0);
  });
});
