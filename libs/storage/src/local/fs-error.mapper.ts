import { FileSystemError, type FileSystemErrorCode } from '@wharf/ftp-protocol';

/**
 * The one place where errno values become port error codes. The message names
 * the virtual path only (never the real one, which could reach an FTP reply);
 * the original error is kept as the cause for logs.
 */
export function toFileSystemError(
  error: unknown,
  virtualPath: string,
  overrides: Partial<Record<string, FileSystemErrorCode>> = {},
): FileSystemError {
  if (error instanceof FileSystemError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const code = overrides[errno] ?? ERRNO_CODES[errno] ?? 'IO';
  return new FileSystemError(code, `${MESSAGES[code]}: ${virtualPath}`, { cause: error });
}

export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

const ERRNO_CODES: Record<string, FileSystemErrorCode> = {
  ENOENT: 'NOT_FOUND',
  EEXIST: 'ALREADY_EXISTS',
  ENOTDIR: 'NOT_A_DIRECTORY',
  EISDIR: 'IS_A_DIRECTORY',
  ENOTEMPTY: 'NOT_EMPTY',
  EACCES: 'PERMISSION_DENIED',
  EPERM: 'PERMISSION_DENIED',
  EROFS: 'PERMISSION_DENIED',
  // O_NOFOLLOW met a symlink that appeared after the jail check.
  ELOOP: 'PERMISSION_DENIED',
  ENOSPC: 'NO_SPACE',
  EDQUOT: 'NO_SPACE',
  EFBIG: 'NO_SPACE',
  ENAMETOOLONG: 'INVALID_PATH',
  EINVAL: 'INVALID_PATH',
  EXDEV: 'PERMISSION_DENIED',
};

const MESSAGES: Record<FileSystemErrorCode, string> = {
  NOT_FOUND: 'no such file or directory',
  ALREADY_EXISTS: 'already exists',
  NOT_A_DIRECTORY: 'not a directory',
  IS_A_DIRECTORY: 'is a directory',
  NOT_EMPTY: 'directory not empty',
  PERMISSION_DENIED: 'permission denied',
  INVALID_PATH: 'invalid path',
  NO_SPACE: 'no space left',
  IO: 'input/output error',
};
