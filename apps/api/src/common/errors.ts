import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  ConflictException,
  type ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
  ParseUUIDPipe,
} from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ValidationError } from 'class-validator';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';

/** One problem with one input field. */
export class FieldError {
  @ApiProperty({ example: 'quotaBytes', description: 'Dotted path; arrays as permissions[0].path' })
  field!: string;

  @ApiProperty({ example: 'quotaBytes must not be less than 0' })
  message!: string;

  @ApiPropertyOptional({ example: 3, description: 'Bulk input only: 1-based line of the row' })
  line?: number;
}

/** The one body of every 400 (ValidationPipe and service-level checks alike). */
export class ValidationErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: 400;

  @ApiProperty({ example: 'Bad Request' })
  error!: 'Bad Request';

  @ApiProperty({ example: 'Validation failed' })
  message!: 'Validation failed';

  @ApiProperty({ type: [FieldError] })
  errors!: FieldError[];
}

export class ErrorBody {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'FTP user not found' })
  message!: string;

  @ApiPropertyOptional({ example: 'Not Found' })
  error?: string;

  @ApiPropertyOptional({ example: 'username', description: '409 on a unique field: which one' })
  field?: string;
}

/** A 400 in the shared shape, for checks a DTO cannot express. */
export function validationFailed(errors: FieldError[]): BadRequestException {
  const body: ValidationErrorBody = {
    statusCode: 400,
    error: 'Bad Request',
    message: 'Validation failed',
    errors,
  };
  return new BadRequestException(body);
}

/** `notFound('FTP user')` -> 404 `{ statusCode: 404, message: 'FTP user not found' }`. */
export function notFound(what: string): NotFoundException {
  return new NotFoundException({
    statusCode: 404,
    message: `${what} not found`,
    error: 'Not Found',
  });
}

export function conflict(message: string, field?: string): ConflictException {
  return new ConflictException({ statusCode: 409, message, error: 'Conflict', field });
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** Flattens class-validator's tree: `permissions[0].path`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = joinPath(parent, error.property);
    for (const message of Object.values(error.constraints ?? {})) {
      // forbidNonWhitelisted reports "property x should not exist": name the field plainly.
      out.push({ field, message: message.replace(/^property (\S+) /, '$1 ') });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** `exceptionFactory` of the global ValidationPipe. */
export function validationExceptionFactory(errors: ValidationError[]): BadRequestException {
  return validationFailed(flattenValidationErrors(errors));
}

const snakeToCamel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** `Key (lower(username::text))=(bob) already exists.` -> `username`. */
export function uniqueViolationField(detail: string | undefined): string | undefined {
  const match = /^Key \((.+?)\)=/.exec(detail ?? '');
  if (!match) return undefined;
  const columns = match[1]!
    .replace(/lower\(/g, '')
    .replace(/::\w+/g, '')
    .replace(/[()"]/g, '')
    .split(',')
    .map((c) => snakeToCamel(c.trim()));
  return columns.join(',');
}

interface PgError {
  code?: string;
  detail?: string;
  constraint?: string;
}

/**
 * Turns PostgreSQL constraint violations that reach the edge into precise
 * 4xx answers: 23505 unique -> 409 naming the field; 23503 foreign key ->
 * 409 (still referenced) or 400 (references nothing). Other errors pass to
 * Nest's default handling.
 */
@Catch(QueryFailedError)
export class DatabaseExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DatabaseExceptionFilter.name);

  catch(exception: QueryFailedError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const pg = exception.driverError as PgError;
    let http: HttpException;
    switch (pg.code) {
      case '23505': {
        const field = uniqueViolationField(pg.detail);
        http = conflict(field ? `${field} already exists` : 'Already exists', field);
        break;
      }
      case '23503':
        http = /is still referenced/.test(pg.detail ?? '')
          ? conflict('Still referenced by other records')
          : validationFailed([
              {
                field: snakeToCamel(/^Key \((\w+)\)/.exec(pg.detail ?? '')?.[1] ?? 'id'),
                message: 'references a record that does not exist',
              },
            ]);
        break;
      default:
        this.logger.error(`database error ${pg.code ?? ''}: ${exception.message}`, exception.stack);
        response.status(500).json({ statusCode: 500, message: 'Internal server error' });
        return;
    }
    response.status(http.getStatus()).json(http.getResponse());
  }
}

/** `@Param('id', ParseId) id: string`: a malformed id is a 400 in the shared shape naming `id`. */
export const ParseId = new ParseUUIDPipe({
  exceptionFactory: () => validationFailed([{ field: 'id', message: 'id must be a UUID' }]),
});

function isValidationBody(body: unknown): body is ValidationErrorBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { errors?: unknown }).errors)
  );
}

/**
 * Gives every 400 the shared shape, including the ones Nest and Express make
 * themselves (malformed JSON, a pipe without our exceptionFactory): their
 * message becomes one error on the field `body`.
 */
@Catch(BadRequestException)
export class BadRequestFilter implements ExceptionFilter {
  catch(exception: BadRequestException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = exception.getResponse();
    if (isValidationBody(body)) {
      response.status(400).json(body);
      return;
    }
    const message =
      typeof body === 'string'
        ? body
        : String((body as { message?: unknown }).message ?? exception.message);
    const isJson = /JSON/.test(message);
    response
      .status(400)
      .json(
        validationFailed([
          { field: 'body', message: isJson ? `body is not valid JSON: ${message}` : message },
        ]).getResponse(),
      );
  }
}
