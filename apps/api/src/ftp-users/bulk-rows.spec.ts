import { rowsFromCsv, rowsFromJson } from './bulk-rows';

describe('rowsFromCsv', () => {
  it('converts cells by column and reports each row by its first file line', () => {
    const { rows, errors } = rowsFromCsv(
      '\uFEFFusername,password,quotaBytes,enabled,allowedIps,groups\n' +
        'a1,"multi\nline pw",10,yes,10.0.0.0/8; ::1,g1;g2\n' +
        '\n' +
        'b1,pw,,0,,\n',
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        data: {
          username: 'a1',
          password: 'multi\nline pw',
          quotaBytes: 10,
          enabled: true,
          allowedIps: ['10.0.0.0/8', '::1'],
          groups: ['g1', 'g2'],
        },
      },
      { line: 5, data: { username: 'b1', password: 'pw', enabled: false } },
    ]);
  });

  it('keeps unconvertible cells as strings so the DTO names the problem', () => {
    const { rows } = rowsFromCsv('username,password,quotaBytes,requireTls\nx,y,lots,maybe\n');
    expect(rows[0]!.data).toEqual({
      username: 'x',
      password: 'y',
      quotaBytes: 'lots',
      requireTls: 'maybe',
    });
  });

  it('reports unknown, duplicate and missing columns on line 1', () => {
    const { errors } = rowsFromCsv('username,shell,shell\nx,y,z\n');
    expect(errors).toEqual([
      expect.objectContaining({
        line: 1,
        field: 'shell',
        message: expect.stringContaining('unknown'),
      }),
      expect.objectContaining({
        line: 1,
        field: 'shell',
        message: expect.stringContaining('unknown'),
      }),
      expect.objectContaining({ line: 1, field: 'shell', message: 'column appears twice' }),
      expect.objectContaining({ line: 1, field: 'password' }),
    ]);
  });

  it('reports malformed CSV with its line', () => {
    const { errors } = rowsFromCsv('username,password\na,b\nc,d,e\n');
    expect(errors).toEqual([expect.objectContaining({ line: 3, field: 'csv' })]);
  });

  it('refuses an empty file and a header without rows', () => {
    expect(rowsFromCsv('').errors[0]).toMatchObject({ line: 1, field: 'csv' });
    expect(rowsFromCsv('username,password\n').errors[0]).toMatchObject({ line: 1, field: 'csv' });
  });
});

describe('rowsFromJson', () => {
  it('numbers users from 1 and refuses other shapes', () => {
    expect(rowsFromJson({ users: [{ a: 1 }, 'x'] }).rows).toEqual([
      { line: 1, data: { a: 1 } },
      { line: 2, data: 'x' },
    ]);
    expect(rowsFromJson([]).errors[0]!.field).toBe('users');
    expect(rowsFromJson({ users: [] }).errors[0]!.field).toBe('users');
    expect(rowsFromJson({ users: [{}], extra: 1 }).errors[0]!.field).toBe('extra');
  });
});
