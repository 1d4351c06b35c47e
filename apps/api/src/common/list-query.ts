import { isIP } from 'node:net';

import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';

import { type FieldError, validationFailed } from './errors';

export type ListFilterType = 'string' | 'uuid' | 'boolean' | 'int' | 'date' | 'ip' | 'string[]';

export interface ListQuerySpec {
  sortable: string[];
  defaultSort: string;
  defaultOrder?: 'ASC' | 'DESC';
  /** Query parameter name -> type. Time ranges are two filters, e.g. `from`/`to` of type date. */
  filters: Record<string, ListFilterType>;
  /** Type of `id` values for getMany; ids of most resources are UUIDs. */
  idType?: 'uuid' | 'string';
}

export type ListFilterValue = string | boolean | number | Date | string[];

export interface ListQuery {
  skip: number;
  take: number;
  sort: string;
  order: 'ASC' | 'DESC';
  /** Only the filters present in the request, already converted. */
  filters: Record<string, ListFilterValue>;
  /** `id=..&id=..` (react-admin getMany); empty when absent. */
  ids: string[];
  /** `q`: free-text search, trimmed; undefined when absent or empty. */
  q: string | undefined;
}

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 25;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESERVED = new Set(['_start', '_end', 'page', 'perPage', '_sort', '_order', 'q', 'id']);

function asStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (value === undefined) return [];
  return [String(value)];
}

function single(field: string, value: unknown, errors: FieldError[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    errors.push({ field, message: `${field} must be given once` });
    return undefined;
  }
  return value;
}

function integer(field: string, value: unknown, min: number, errors: FieldError[]) {
  const raw = single(field, value, errors);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min) {
    errors.push({ field, message: `${field} must be an integer >= ${min}` });
    return undefined;
  }
  return Number(raw);
}

function convert(
  field: string,
  type: ListFilterType,
  value: unknown,
  errors: FieldError[],
): ListFilterValue | undefined {
  if (type === 'string[]') {
    const values = asStrings(value)
      .flatMap((v) => v.split(','))
      .filter((v) => v !== '');
    return values.length ? values : undefined;
  }
  const raw = single(field, value, errors);
  if (raw === undefined || raw === '') return undefined;
  const bad = (what: string) => {
    errors.push({ field, message: `${field} must be ${what}` });
    return undefined;
  };
  switch (type) {
    case 'string':
      return raw;
    case 'uuid':
      return UUID.test(raw) ? raw.toLowerCase() : bad('a UUID');
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : bad('true or false');
    case 'int':
      return /^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw))
        ? Number(raw)
        : bad('an integer');
    case 'date': {
      const date = new Date(raw);
      return /^\d{4}-\d{2}-\d{2}/.test(raw) && !Number.isNaN(date.getTime())
        ? date
        : bad('an ISO 8601 date');
    }
    case 'ip': {
      const [address, bits, extra] = raw.split('/');
      const family = isIP(address ?? '');
      const maxBits = family === 6 ? 128 : 32;
      const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
      return family !== 0 && bitsOk && extra === undefined ? raw : bad('an IP address or CIDR');
    }
  }
}

/**
 * Reads react-admin's list conventions (ra-data-json-server / simple-rest):
 * `_start`/`_end` or `page`/`perPage`, `_sort`/`_order`, `q`, repeated `id`
 * for getMany, and the declared filters as plain parameters. Anything else,
 * or a bad value, is a 400 in the shared shape naming the parameter.
 */
export function parseListQuery(query: Record<string, unknown>, spec: ListQuerySpec): ListQuery {
  const errors: FieldError[] = [];
  for (const key of Object.keys(query)) {
    if (!RESERVED.has(key) && !(key in spec.filters)) {
      errors.push({ field: key, message: `${key} is not a known parameter` });
    }
  }

  let skip = 0;
  let take = DEFAULT_PAGE_SIZE;
  const start = integer('_start', query._start, 0, errors);
  const end = integer('_end', query._end, 0, errors);
  const page = integer('page', query.page, 1, errors);
  const perPage = integer('perPage', query.perPage, 1, errors);
  if (start !== undefined || end !== undefined) {
    skip = start ?? 0;
    take = end === undefined ? DEFAULT_PAGE_SIZE : end - skip;
    if (take < 0) errors.push({ field: '_end', message: '_end must not be less than _start' });
  } else if (page !== undefined || perPage !== undefined) {
    take = perPage ?? DEFAULT_PAGE_SIZE;
    skip = ((page ?? 1) - 1) * take;
  }
  if (take > MAX_PAGE_SIZE) {
    errors.push({
      field: query._end !== undefined ? '_end' : 'perPage',
      message: `page size must not exceed ${MAX_PAGE_SIZE}`,
    });
  }

  const sort = single('_sort', query._sort, errors) ?? spec.defaultSort;
  if (!spec.sortable.includes(sort)) {
    errors.push({ field: '_sort', message: `_sort must be one of ${spec.sortable.join(', ')}` });
  }
  const rawOrder = single('_order', query._order, errors)?.toUpperCase();
  if (rawOrder !== undefined && rawOrder !== 'ASC' && rawOrder !== 'DESC') {
    errors.push({ field: '_order', message: '_order must be ASC or DESC' });
  }
  const order = (rawOrder as 'ASC' | 'DESC' | undefined) ?? spec.defaultOrder ?? 'ASC';

  const ids = asStrings(query.id)
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '');
  if ((spec.idType ?? 'uuid') === 'uuid' && ids.some((id) => !UUID.test(id))) {
    errors.push({ field: 'id', message: 'id must be a UUID' });
  }

  const q = single('q', query.q, errors)?.trim() || undefined;

  const filters: Record<string, ListFilterValue> = {};
  for (const [name, type] of Object.entries(spec.filters)) {
    const value = convert(name, type, query[name], errors);
    if (value !== undefined) filters[name] = value;
  }

  if (errors.length) throw validationFailed(errors);
  return { skip, take: Math.max(take, 0), sort, order, filters, ids, q };
}

/** A page of a list plus the total count; the interceptor sends X-Total-Count. */
export class Paginated<T> {
  constructor(
    readonly items: T[],
    readonly total: number,
  ) {}
}

/** Sends a Paginated result as a plain JSON array with the X-Total-Count header. */
@Injectable()
export class PaginatedInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof Paginated)) return value;
        context.switchToHttp().getResponse<Response>().setHeader('X-Total-Count', value.total);
        return value.items;
      }),
    );
  }
}
