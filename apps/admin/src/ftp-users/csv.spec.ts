import { parseCsv } from './csv';

describe('parseCsv (import preview)', () => {
  it('numbers each record by the file line it starts on, as the api reports errors', () => {
    const text = [
      '\uFEFFusername , password',
      'alice,pw1',
      '',
      '"bob ""b""","multi',
      'line"',
      'carol,"a,b"',
    ].join('\r\n');
    const parsed = parseCsv(text);
    expect(parsed.header).toEqual(['username', 'password']);
    expect(parsed.rows).toEqual([
      { line: 2, cells: ['alice', 'pw1'] },
      { line: 4, cells: ['bob "b"', 'multi\r\nline'] },
      { line: 6, cells: ['carol', 'a,b'] },
    ]);
  });

  it('keeps a last record without a trailing newline, and reads an empty text as nothing', () => {
    expect(parseCsv('u,p\nx,y').rows).toEqual([{ line: 2, cells: ['x', 'y'] }]);
    expect(parseCsv('')).toEqual({ header: [], rows: [] });
  });
});
