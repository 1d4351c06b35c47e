import { errorToReply, FtpError, FtpErrorCode } from './errors';
import { FileSystemError } from './ports/file-system.port';
import { formatReply, Reply } from './replies';

describe('replies', () => {
  it('formats single and multi-line replies (RFC 959 §4.2)', () => {
    expect(formatReply(200, 'OK')).toBe('200 OK\r\n');
    expect(formatReply(211, ['Features:', ' SIZE', 'End'])).toBe(
      '211-Features:\r\n SIZE\r\n211 End\r\n',
    );
    // A middle line starting with digits is indented so it cannot end the reply.
    expect(formatReply(211, ['a', '123 x', 'b'])).toBe('211-a\r\n 123 x\r\n211 b\r\n');
  });

  it('maps errors to replies in one place and never forwards a storage message', () => {
    expect(errorToReply(new FileSystemError('NOT_FOUND', '/srv/ftp/alice/x: ENOENT'))).toEqual({
      code: Reply.FILE_NOT_FOUND,
      text: 'No such file or directory.',
    });
    expect(errorToReply(new FileSystemError('NO_SPACE', '/real/path')).code).toBe(552);
    expect(errorToReply(new FtpError(FtpErrorCode.PROT_REQUIRED, 'x')).code).toBe(521);
    expect(errorToReply(new Error('/real/secret/path')).text).toBe('Local error in processing.');
  });
});
