import { FtpError, FtpErrorCode } from '../errors';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.1. */
export const cwdCommand: FtpCommand = {
  name: 'CWD',
  aliases: ['XCWD'],
  needsAuth: true,
  argument: 'required',
  kind: 'normal',
  help: 'CWD <path>',
  async handler(session, arg) {
    const path = session.resolve(arg);
    const stat = await session.fs.stat(path);
    if (stat.type !== 'dir') throw new FtpError(FtpErrorCode.NOT_FOUND, 'Not a directory.');
    session.cwd = path;
    session.reply(Reply.FILE_ACTION_OK, 'Directory successfully changed.');
  },
};
