import { FileSystemError } from './ports/file-system.port';
import { Reply } from './replies';

export enum FtpErrorCode {
  NOT_LOGGED_IN = 'NOT_LOGGED_IN',
  BAD_SEQUENCE = 'BAD_SEQUENCE',
  BAD_ARGUMENT = 'BAD_ARGUMENT',
  NOT_IMPLEMENTED_FOR_PARAMETER = 'NOT_IMPLEMENTED_FOR_PARAMETER',
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  INVALID_PATH = 'INVALID_PATH',
  NOT_FOUND = 'NOT_FOUND',
  DATA_CONNECTION = 'DATA_CONNECTION',
  TRANSFER_ABORTED = 'TRANSFER_ABORTED',
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
  TLS_REQUIRED = 'TLS_REQUIRED',
  PROT_REQUIRED = 'PROT_REQUIRED',
  SESSION_REUSE_REQUIRED = 'SESSION_REUSE_REQUIRED',
  PROTOCOL_NOT_SUPPORTED = 'PROTOCOL_NOT_SUPPORTED',
  NOT_SUPPORTED = 'NOT_SUPPORTED',
  LOCAL_ERROR = 'LOCAL_ERROR',
}

/** A refusal a handler wants answered with a specific reply. The message is sent to the client. */
export class FtpError extends Error {
  constructor(
    readonly code: FtpErrorCode,
    message: string,
    options?: { cause?: unknown; reply?: number },
  ) {
    super(message, options);
    this.name = 'FtpError';
    this.reply = options?.reply;
  }
  readonly reply: number | undefined;
}

const FTP_ERROR_REPLIES: Record<FtpErrorCode, number> = {
  [FtpErrorCode.NOT_LOGGED_IN]: Reply.NOT_LOGGED_IN,
  [FtpErrorCode.BAD_SEQUENCE]: Reply.BAD_SEQUENCE,
  [FtpErrorCode.BAD_ARGUMENT]: Reply.SYNTAX_ERROR_ARGS,
  [FtpErrorCode.NOT_IMPLEMENTED_FOR_PARAMETER]: Reply.NOT_IMPLEMENTED_FOR_PARAMETER,
  [FtpErrorCode.PERMISSION_DENIED]: Reply.FILE_NOT_FOUND,
  [FtpErrorCode.INVALID_PATH]: Reply.NAME_NOT_ALLOWED,
  [FtpErrorCode.NOT_FOUND]: Reply.FILE_NOT_FOUND,
  [FtpErrorCode.DATA_CONNECTION]: Reply.CANT_OPEN_DATA,
  [FtpErrorCode.TRANSFER_ABORTED]: Reply.TRANSFER_ABORTED,
  [FtpErrorCode.QUOTA_EXCEEDED]: Reply.QUOTA_EXCEEDED,
  [FtpErrorCode.TLS_REQUIRED]: Reply.POLICY_DENIED,
  [FtpErrorCode.PROT_REQUIRED]: Reply.PROT_REQUIRED,
  [FtpErrorCode.SESSION_REUSE_REQUIRED]: Reply.PROTOCOL_NOT_SUPPORTED,
  [FtpErrorCode.PROTOCOL_NOT_SUPPORTED]: Reply.PROTOCOL_NOT_SUPPORTED,
  [FtpErrorCode.NOT_SUPPORTED]: Reply.NOT_IMPLEMENTED,
  [FtpErrorCode.LOCAL_ERROR]: Reply.LOCAL_ERROR,
};

/**
 * The one place where errors become replies. FileSystem messages are never
 * forwarded: a local-disk adapter's message may contain a real path.
 */
export function errorToReply(error: unknown): { code: number; text: string } {
  if (error instanceof FtpError) {
    return { code: error.reply ?? FTP_ERROR_REPLIES[error.code], text: error.message };
  }
  if (error instanceof FileSystemError) {
    switch (error.code) {
      case 'NOT_FOUND':
        return { code: Reply.FILE_NOT_FOUND, text: 'No such file or directory.' };
      case 'ALREADY_EXISTS':
        return { code: Reply.FILE_NOT_FOUND, text: 'File exists.' };
      case 'NOT_A_DIRECTORY':
        return { code: Reply.FILE_NOT_FOUND, text: 'Not a directory.' };
      case 'IS_A_DIRECTORY':
        return { code: Reply.FILE_NOT_FOUND, text: 'Is a directory.' };
      case 'NOT_EMPTY':
        return { code: Reply.FILE_NOT_FOUND, text: 'Directory not empty.' };
      case 'PERMISSION_DENIED':
        return { code: Reply.FILE_NOT_FOUND, text: 'Permission denied.' };
      case 'INVALID_PATH':
        return { code: Reply.NAME_NOT_ALLOWED, text: 'File name not allowed.' };
      case 'NO_SPACE':
        return { code: Reply.QUOTA_EXCEEDED, text: 'Insufficient storage space.' };
      case 'IO':
        return { code: Reply.LOCAL_ERROR, text: 'Local error in processing.' };
    }
  }
  return { code: Reply.LOCAL_ERROR, text: 'Local error in processing.' };
}
