import { ValidationError } from 'class-validator';

import { flattenValidationErrors, uniqueViolationField } from './errors';

function error(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
) {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('error shapes', () => {
  it('flattens nested and array errors to dotted paths', () => {
    const errors = [
      error('quotaBytes', { min: 'quotaBytes must not be less than 0' }),
      error('permissions', undefined, [
        error('0', undefined, [error('path', { matches: 'path must be absolute' })]),
      ]),
      error('role', { whitelistValidation: 'property role should not exist' }),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'quotaBytes', message: 'quotaBytes must not be less than 0' },
      { field: 'permissions[0].path', message: 'path must be absolute' },
      { field: 'role', message: 'role should not exist' },
    ]);
  });

  it('names the field of a unique violation', () => {
    expect(uniqueViolationField('Key (lower(username::text))=(bob) already exists.')).toBe(
      'username',
    );
    expect(uniqueViolationField('Key (lower(username))=(bob) already exists.')).toBe('username');
    expect(uniqueViolationField('Key (bind_address, port)=(0.0.0.0, 21) already exists.')).toBe(
      'bindAddress,port',
    );
    expect(uniqueViolationField(undefined)).toBeUndefined();
  });
});
