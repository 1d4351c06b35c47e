const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** 1536 -> "1.5 KiB". IEC units: quotas are configured in powers of two. */
export function formatBytes(value: number | null | undefined, fractionDigits = 1): string {
  if (value == null || !Number.isFinite(value)) return '—';
  let n = Math.abs(value);
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : n >= 100 ? 0 : fractionDigits;
  return `${value < 0 ? '-' : ''}${n.toFixed(digits)} ${UNITS[unit]}`;
}

/** Bytes per second, e.g. a bandwidth limit. */
export function formatRate(value: number | null | undefined): string {
  if (value == null) return '—';
  return `${formatBytes(value)}/s`;
}

const numberFormat = new Intl.NumberFormat();

export function formatNumber(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : numberFormat.format(value);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

export function toDate(value: unknown): Date | null {
  if (value == null || value === '') return null;
  const d = value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "3 minutes ago", "in 2 days". */
export function formatRelative(value: unknown, now: number = Date.now()): string {
  const d = toDate(value);
  if (!d) return '—';
  let delta = (d.getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(delta) < size) return relative.format(Math.round(delta), unit);
    delta /= size;
  }
  return d.toLocaleString();
}

const exact = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

export function formatExact(value: unknown): string {
  const d = toDate(value);
  return d ? `${exact.format(d)} (${d.toISOString()})` : '—';
}

/** Seconds since a timestamp; for heartbeat ages. */
export function ageSeconds(value: unknown, now: number = Date.now()): number | null {
  const d = toDate(value);
  return d ? Math.max(0, (now - d.getTime()) / 1000) : null;
}
