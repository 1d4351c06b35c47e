import { BadRequestException } from '@nestjs/common';

import { type ListQuerySpec, Paginated, parseListQuery } from './list-query';

const spec: ListQuerySpec = {
  sortable: ['username', 'createdAt'],
  defaultSort: 'username',
  filters: {
    enabled: 'boolean',
    groupId: 'uuid',
    quota: 'int',
    from: 'date',
    clientIp: 'ip',
    role: 'string',
    tags: 'string[]',
  },
};

function errorsOf(query: Record<string, unknown>): { field: string; message: string }[] {
  try {
    parseListQuery(query, spec);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (
      (error as BadRequestException).getResponse() as {
        errors: { field: string; message: string }[];
      }
    ).errors;
  }
  throw new Error('expected a 400');
}

describe('parseListQuery', () => {
  it('defaults', () => {
    expect(parseListQuery({}, spec)).toEqual({
      skip: 0,
      take: 25,
      sort: 'username',
      order: 'ASC',
      filters: {},
      ids: [],
      q: undefined,
    });
  });

  it('reads _start/_end, _sort/_order and q', () => {
    const r = parseListQuery(
      { _start: '10', _end: '30', _sort: 'createdAt', _order: 'desc', q: ' bob ' },
      spec,
    );
    expect(r).toMatchObject({ skip: 10, take: 20, sort: 'createdAt', order: 'DESC', q: 'bob' });
  });

  it('reads page/perPage', () => {
    expect(parseListQuery({ page: '3', perPage: '50' }, spec)).toMatchObject({
      skip: 100,
      take: 50,
    });
  });

  it('reads repeated id (getMany) and typed filters', () => {
    const id = '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f';
    const r = parseListQuery(
      {
        id: [id, id.toUpperCase()],
        enabled: 'false',
        groupId: id,
        quota: '5',
        from: '2026-11-01T00:00:00Z',
        clientIp: '10.0.0.0/8',
        role: 'admin',
        tags: ['a,b', 'c'],
      },
      spec,
    );
    expect(r.ids).toHaveLength(2);
    expect(r.filters).toEqual({
      enabled: false,
      groupId: id,
      quota: 5,
      from: new Date('2026-11-01T00:00:00Z'),
      clientIp: '10.0.0.0/8',
      role: 'admin',
      tags: ['a', 'b', 'c'],
    });
  });

  it('rejects unknown parameters and bad values, naming each', () => {
    expect(
      errorsOf({
        foo: '1',
        _sort: 'passwordHash',
        _order: 'sideways',
        enabled: 'yes',
        groupId: 'nope',
        quota: '1.5',
        from: 'yesterday',
        clientIp: '999.1.1.1',
        id: 'x',
      }).map((e) => e.field),
    ).toEqual(['foo', '_sort', '_order', 'id', 'enabled', 'groupId', 'quota', 'from', 'clientIp']);
  });

  it('caps the page size at 1000', () => {
    expect(parseListQuery({ _start: '0', _end: '1000' }, spec).take).toBe(1000);
    expect(errorsOf({ _start: '0', _end: '1001' })).toEqual([
      { field: '_end', message: 'page size must not exceed 1000' },
    ]);
    expect(errorsOf({ perPage: '5000' })[0]!.field).toBe('perPage');
    expect(errorsOf({ _start: '-1' })[0]!.field).toBe('_start');
  });

  it('Paginated carries items and total', () => {
    expect(new Paginated([1, 2], 7)).toEqual({ items: [1, 2], total: 7 });
  });
});
