import { FtpError, FtpErrorCode } from '../errors';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 3659 §4: size of a file as stored (curl resumes uploads with SIZE + APPE). */
export const sizeCommand: FtpCommand = {
  name: 'SIZE',
  needsAuth: true,
  argument: 'required',
  kind: 'normal',
  feat: 'SIZE',
  help: 'SIZE <path>',
  async handler(session, arg) {
    const stat = await session.fs.stat(session.resolve(arg));
    if (stat.type !== 'file') throw new FtpError(FtpErrorCode.NOT_FOUND, 'Not a regular file.');
    session.reply(Reply.FILE_STATUS, String(stat.size));
  },
};
