import { isIP } from 'node:net';
import * as path from 'node:path';

import { registerDecorator, type ValidationOptions } from 'class-validator';

/** An IPv4/IPv6 address or CIDR block (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`). */
export function isIpOrCidr(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 64) return false;
  const [address, bits, extra] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32);
}

export function IsIpOrCidr(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIpOrCidr',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) =>
          `${args.property} must contain IP addresses or CIDR blocks (e.g. 10.0.0.0/8); got ${JSON.stringify(args.value)}`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every(isIpOrCidr),
      },
    });
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why a virtual path (permission rule prefix) is unacceptable, or undefined.
 * Absolute, `/`-separated, no empty, `.` or `..` segment, no backslash or
 * control character, at most 1024 characters.
 */
export function virtualPathProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
  if (value.length > 1024) return 'must be at most 1024 characters';
  if (!value.startsWith('/')) return 'must be an absolute path starting with /';
  if (value.includes('\\') || CONTROL.test(value)) {
    return 'must not contain backslashes or control characters';
  }
  if (value === '/') return undefined;
  const segments = value.replace(/\/$/, '').slice(1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    return 'must not contain empty, "." or ".." segments';
  }
  return undefined;
}

/** "/incoming/" -> "/incoming"; "/" stays "/". Assumes virtualPathProblem() passed. */
export function normalizeVirtualPath(value: string): string {
  return value === '/' ? '/' : value.replace(/\/$/, '');
}

/**
 * Why a home directory (relative to the storage root) is unacceptable, or
 * undefined. It must stay under the storage root whatever the OS does with
 * it: relative, `/`-separated, no `.`/`..`/empty segment, no backslash, NUL or
 * control character.
 */
export function homeDirProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
  if (value.length > 1024) return 'must be at most 1024 characters';
  if (value.startsWith('/')) return 'must be relative to the storage root (no leading /)';
  if (value.includes('\\') || CONTROL.test(value)) {
    return 'must not contain backslashes or control characters';
  }
  const segments = value.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    return 'must not contain empty, "." or ".." segments (it must stay under the storage root)';
  }
  return undefined;
}

export function normalizeHomeDir(value: string): string {
  return value.replace(/\/$/, '');
}

/**
 * The absolute directory of a home under the storage root; throws when the
 * result would leave the root (defence in depth behind homeDirProblem).
 */
export function resolveHomeDir(storageRoot: string, homeDir: string): string {
  const root = path.resolve(storageRoot);
  const absolute = path.resolve(root, homeDir);
  if (!absolute.startsWith(root + path.sep)) {
    throw new Error(`home directory ${homeDir} escapes the storage root`);
  }
  return absolute;
}

function stringRule(
  name: string,
  problem: (value: unknown) => string | undefined,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) => `${args.property} ${problem(args.value) ?? 'is invalid'}`,
        ...options,
      },
      validator: { validate: (value: unknown) => problem(value) === undefined },
    });
}

export const IsVirtualPath = (options?: ValidationOptions) =>
  stringRule('isVirtualPath', virtualPathProblem, options);

export const IsHomeDir = (options?: ValidationOptions) =>
  stringRule('isHomeDir', homeDirProblem, options);

/** One-line text that is safe inside an FTP reply or a log line. */
export const IsSingleLine = (options?: ValidationOptions) =>
  stringRule(
    'isSingleLine',
    (value) =>
      typeof value !== 'string'
        ? 'must be a string'
        : CONTROL.test(value)
          ? 'must not contain line breaks or control characters'
          : undefined,
    options,
  );
