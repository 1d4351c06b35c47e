import type { FileStat } from '../ports/file-system.port';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = 182 * 24 * 3600 * 1000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

const PERMISSION_CHARS = 'rwxrwxrwx';
/** `-rw-r--r--` per (type, mode): at most 2 x 512 strings, built once each. */
const modeStrings = new Map<number, string>();

function modeString(stat: FileStat): string {
  const key = (stat.type === 'dir' ? 0o1000 : 0) | (stat.mode & 0o777);
  let text = modeStrings.get(key);
  if (text === undefined) {
    text = stat.type === 'dir' ? 'd' : '-';
    for (let bit = 0; bit < 9; bit++) {
      text += stat.mode & (0o400 >> bit) ? PERMISSION_CHARS[bit] : '-';
    }
    modeStrings.set(key, text);
  }
  return text;
}

const SPACES = '            ';

/** Right-aligns in `width` columns (what padStart does, without its per-call cost). */
function padLeft(value: string, width: number): string {
  return value.length >= width ? value : SPACES.slice(0, width - value.length) + value;
}

/**
 * The date column for one minute; a listing's entries mostly share few minutes
 * (files written together), so the last one is remembered.
 */
let lastDate = { minute: NaN, recent: false, text: '' };

function dateColumn(mtimeMs: number, nowMs: number): string {
  const minute = Math.floor(mtimeMs / 60_000);
  const recent = Math.abs(nowMs - mtimeMs) <= SIX_MONTHS_MS;
  if (minute === lastDate.minute && recent === lastDate.recent) return lastDate.text;
  const t = new Date(mtimeMs);
  const day = `${MONTHS[t.getUTCMonth()]} ${padLeft(`${t.getUTCDate()}`, 2)}`;
  const text = recent
    ? `${day} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}`
    : `${day}  ${t.getUTCFullYear()}`;
  lastDate = { minute, recent, text };
  return text;
}

/** `ls -l` style line (what LIST clients parse), UTC times, owner hidden as "ftp". */
export function formatListLine(stat: FileStat, nowMs: number): string {
  const links = stat.type === 'dir' ? '  2' : '  1';
  return `${modeString(stat)} ${links} ftp      ftp      ${padLeft(`${stat.size}`, 12)} ${dateColumn(stat.mtime.getTime(), nowMs)} ${stat.name}\r\n`;
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
