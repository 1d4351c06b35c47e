import { type Expirable, SessionClock } from './session-clock';

function session(deadline: () => number): Expirable & { expired: number[] } {
  const expired: number[] = [];
  return { expired, expiresAt: deadline, expire: (now) => void expired.push(now) };
}

describe('SessionClock', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('expires only sessions past their deadline, with one timer for all', () => {
    const clock = new SessionClock(400);
    const start = performance.now();
    const late = session(() => start + 150);
    const early = session(() => start + 10_000);
    clock.add(late);
    clock.add(early);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(100);
    expect(late.expired).toHaveLength(0);
    jest.advanceTimersByTime(100);
    expect(late.expired).toHaveLength(1);
    expect(early.expired).toHaveLength(0);
  });

  it('runs no timer while it has no session', () => {
    const clock = new SessionClock(30_000);
    const s = session(() => Infinity);
    clock.add(s);
    expect(jest.getTimerCount()).toBe(1);
    clock.delete(s);
    expect(jest.getTimerCount()).toBe(0);
    expect(clock.size).toBe(0);
  });
});
