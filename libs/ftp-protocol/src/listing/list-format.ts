import type { FileStat } from '../ports/file-system.port';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = 182 * 24 * 3600 * 1000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function modeString(stat: FileStat): string {
  const m = stat.mode;
  const r = (bit: number, c: string): string => (m & bit ? c : '-');
  return (
    (stat.type === 'dir' ? 'd' : '-') +
    r(0o400, 'r') +
    r(0o200, 'w') +
    r(0o100, 'x') +
    r(0o040, 'r') +
    r(0o020, 'w') +
    r(0o010, 'x') +
    r(0o004, 'r') +
    r(0o002, 'w') +
    r(0o001, 'x')
  );
}

/** `ls -l` style line (what LIST clients parse), UTC times, owner hidden as "ftp". */
export function formatListLine(stat: FileStat, nowMs: number): string {
  const t = stat.mtime;
  const date =
    Math.abs(nowMs - t.getTime()) > SIX_MONTHS_MS
      ? `${MONTHS[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2)}  ${t.getUTCFullYear()}`
      : `${MONTHS[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2)} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}`;
  const links = stat.type === 'dir' ? 2 : 1;
  return `${modeString(stat)} ${String(links).padStart(3)} ftp      ftp      ${String(stat.size).padStart(12)} ${date} ${stat.name}\r\n`;
}

/** RFC 3659 §2.3 time-val: YYYYMMDDHHMMSS[.sss] in UTC. */
export function formatTimeVal(date: Date): string {
  return (
    `${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}` +
    `${pad2(date.getUTCHours())}${pad2(date.getUTCMinutes())}${pad2(date.getUTCSeconds())}`
  );
}

/** Parses an RFC 3659 time-val (UTC); null when malformed. */
export function parseTimeVal(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3}))?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Number(frac.padEnd(3, '0')) : 0;
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms));
  if (Number.isNaN(date.getTime()) || date.getUTCMonth() !== +mo - 1) return null;
  return date;
}

/** MLST facts (RFC 3659 §7.5), in the order FEAT announces them. */
export const MLST_FACTS = ['type', 'size', 'modify', 'perm', 'unique', 'unix.mode'] as const;
export type MlstFact = (typeof MLST_FACTS)[number];
/** Bit i set = MLST_FACTS[i] enabled. */
export const ALL_MLST_FACTS = (1 << MLST_FACTS.length) - 1;

export function formatMlstFeat(enabled: number): string {
  return `MLST ${MLST_FACTS.map((f, i) => `${f}${enabled & (1 << i) ? '*' : ''};`).join('')}`;
}

/** OPTS MLST argument -> bit mask; unknown facts are ignored (RFC 3659 §7.9). */
export function parseMlstOpts(arg: string): number {
  let mask = 0;
  for (const fact of arg.toLowerCase().split(';')) {
    const i = (MLST_FACTS as readonly string[]).indexOf(fact.trim());
    if (i >= 0) mask |= 1 << i;
  }
  return mask;
}

export function enabledFactsString(enabled: number): string {
  return MLST_FACTS.filter((_, i) => enabled & (1 << i))
    .map((f) => `${f};`)
    .join('');
}

/** One MLSx entry without the trailing name: `type=file;size=3;... ` (note the space). */
export function formatMlstFacts(stat: FileStat, enabled: number, typeOverride?: string): string {
  let out = '';
  if (enabled & 1) out += `type=${typeOverride ?? stat.type};`;
  if (enabled & 2 && stat.type === 'file') out += `size=${stat.size};`;
  if (enabled & 4) out += `modify=${formatTimeVal(stat.mtime)};`;
  if (enabled & 8) out += `perm=${stat.type === 'dir' ? 'cdeflmp' : 'adfrw'};`;
  if (enabled & 16 && stat.uniqueId !== undefined) out += `unique=${stat.uniqueId};`;
  if (enabled & 32) out += `unix.mode=0${(stat.mode & 0o7777).toString(8)};`;
  return `${out} `;
}
