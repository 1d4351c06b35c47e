import type { FileStat } from '../ports/file-system.port';
import { formatListLine } from './list-format';

function entry(overrides: Partial<FileStat>): FileStat {
  return { name: 'a.txt', type: 'file', size: 5, mtime: new Date(0), mode: 0o644, ...overrides };
}

describe('formatListLine', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');

  it('writes the ls -l columns: mode, links, owner, size, date, name', () => {
    expect(
      formatListLine(entry({ size: 1234, mtime: new Date('2026-11-03T08:05:59Z') }), now),
    ).toBe('-rw-r--r--   1 ftp      ftp              1234 Nov  3 08:05 a.txt\r\n');
    expect(
      formatListLine(
        entry({
          name: 'd',
          type: 'dir',
          size: 0,
          mode: 0o751,
          mtime: new Date('2024-02-29T23:59:00Z'),
        }),
        now,
      ),
    ).toBe('drwxr-x--x   2 ftp      ftp                 0 Feb 29  2024 d\r\n');
    expect(formatListLine(entry({ mode: 0o7777, size: 123456789012 }), now)).toMatch(
      /^-rwxrwxrwx {3}1 ftp {6}ftp {6}123456789012 /,
    );
  });

  it('gives each entry its own date when consecutive entries differ (remembered minute)', () => {
    const minute = Date.parse('2026-11-25T11:59:00Z');
    const lines = [minute, minute + 59_000, minute + 60_000, minute].map((ms) =>
      formatListLine(entry({ mtime: new Date(ms) }), now),
    );
    expect(lines.map((l) => l.slice(-20, -8))).toEqual([
      'Nov 25 11:59',
      'Nov 25 11:59',
      'Nov 25 12:00',
      'Nov 25 11:59',
    ]);
    // Same minute, once within six months of "now" and once not: year shown for the latter.
    const old = Date.parse('2026-05-01T10:00:00Z');
    expect(formatListLine(entry({ mtime: new Date(old) }), old + 1000)).toContain('May  1 10:00');
    expect(formatListLine(entry({ mtime: new Date(old) }), now)).toContain('May  1  2026');
  });
});
