import { FileSystemError } from '@wharf/ftp-protocol';

/** Hidden temporary names of uploads in progress; never listed, never addressable. */
export const UPLOAD_TEMP_PREFIX = '.wharf-upload-';
export const UPLOAD_TEMP_SUFFIX = '.part';

/**
 * Percent sequences that some layer (a proxy, a log viewer, a later URL-based
 * storage backend) could decode into a separator, a dot segment or NUL. A real
 * name never needs them, so they are refused rather than interpreted:
 * %2e ".", %2f "/", %5c "\", %00 NUL, %25 "%" (double encoding), %c0/%c1
 * (overlong UTF-8 for "." and "/").
 */
const ENCODED_TRICK = /%(?:2e|2f|5c|00|25|c0|c1)/i;

/**
 * Splits a virtual path ("/", "/a/b.txt") into its segments after refusing
 * everything that could leave the jail or smuggle a separator. The engine
 * normalises paths already; this is the second, independent line of defence.
 */
export function parseVirtualPath(virtualPath: string): string[] {
  if (typeof virtualPath !== 'string' || !virtualPath.startsWith('/')) {
    throw invalid(virtualPath, 'path must be absolute');
  }
  if (virtualPath === '/') return [];
  if (virtualPath.includes('\0')) throw invalid(virtualPath, 'NUL in path');
  if (virtualPath.includes('\\')) throw invalid(virtualPath, 'backslash in path');
  if (/[\r\n]/.test(virtualPath)) throw invalid(virtualPath, 'line break in path');
  if (ENCODED_TRICK.test(virtualPath))
    throw invalid(virtualPath, 'percent-encoded separator or dot');
  const segments = virtualPath.slice(1).split('/');
  for (const segment of segments) {
    // "" covers "//" and a trailing slash; "." covers "./".
    if (segment === '' || segment === '.' || segment === '..') {
      throw invalid(virtualPath, 'empty, "." or ".." segment');
    }
    if (segment.startsWith(UPLOAD_TEMP_PREFIX)) {
      throw invalid(virtualPath, 'reserved name');
    }
  }
  return segments;
}

/** True when a name found on disk may be shown to and addressed by a client. */
export function isVisibleName(name: string): boolean {
  if (name.startsWith(UPLOAD_TEMP_PREFIX)) return false;
  try {
    parseVirtualPath(`/${name}`);
    return true;
  } catch {
    return false;
  }
}

function invalid(virtualPath: string, why: string): FileSystemError {
  // The message carries the virtual path only: it may reach an FTP reply.
  return new FileSystemError('INVALID_PATH', `${why}: ${safeForMessage(virtualPath)}`);
}

function safeForMessage(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
