import { ageSeconds, formatBytes, formatDuration, formatRate, formatRelative } from './format';

describe('format', () => {
  it('formats bytes in IEC units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MiB');
    expect(formatBytes(-2048)).toBe('-2.0 KiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatRate(1024 * 1024)).toBe('1.0 MiB/s');
  });

  it('formats durations for people', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
  });

  it('gives relative times and ages against a fixed now', () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    expect(formatRelative(new Date(now - 3 * 60_000).toISOString(), now)).toMatch(/3 minutes ago/);
    expect(formatRelative('not a date', now)).toBe('—');
    expect(ageSeconds(new Date(now - 5000), now)).toBe(5);
    expect(ageSeconds(new Date(now + 5000), now)).toBe(0);
  });
});
