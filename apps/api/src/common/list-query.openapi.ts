import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

import { MAX_PAGE_SIZE } from './list-query';

/** Documents react-admin's list parameters on a list route. */
export function ApiListQuery(sortable: string[]): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: '_start', required: false, type: Number, example: 0 }),
    ApiQuery({
      name: '_end',
      required: false,
      type: Number,
      example: 25,
      description: `_end - _start <= ${MAX_PAGE_SIZE}`,
    }),
    ApiQuery({ name: 'page', required: false, type: Number, example: 1 }),
    ApiQuery({ name: 'perPage', required: false, type: Number, example: 25 }),
    ApiQuery({ name: '_sort', required: false, enum: sortable }),
    ApiQuery({ name: '_order', required: false, enum: ['ASC', 'DESC'] }),
    ApiQuery({ name: 'q', required: false, description: 'Free-text search' }),
    ApiQuery({
      name: 'id',
      required: false,
      isArray: true,
      type: String,
      description: 'getMany: repeat id=',
    }),
  );
}
