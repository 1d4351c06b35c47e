import { FtpError, FtpErrorCode } from './errors';
import type { VirtualPath } from './ports/file-system.port';

/**
 * The only place a client-supplied path becomes a virtual path: resolved
 * against the working directory, `.`/`..` collapsed without ever climbing
 * above `/`, repeated slashes removed, NUL refused.
 */
export function resolveVirtualPath(cwd: VirtualPath, input: string): VirtualPath {
  if (input.includes('\0')) {
    throw new FtpError(FtpErrorCode.INVALID_PATH, 'File name not allowed.');
  }
  const raw = input.startsWith('/') ? input : `${cwd}/${input}`;
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function parentPath(path: VirtualPath): VirtualPath {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: VirtualPath): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** RFC 959 §7 (257 replies): a `"` inside the name is doubled. */
export function quotePath(path: VirtualPath): string {
  return `"${path.replace(/"/g, '""')}"`;
}
