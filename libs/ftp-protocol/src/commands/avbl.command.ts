import { FtpError, FtpErrorCode } from '../errors';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** draft-peterson-streamlined-ftp-command-extensions §4: bytes the user may still store. */
export const avblCommand: FtpCommand = {
  name: 'AVBL',
  needsAuth: true,
  argument: 'optional',
  kind: 'normal',
  feat: 'AVBL',
  help: 'AVBL [path]',
  async handler(session, arg) {
    const space = await session.fs.availableSpace(session.resolve(arg));
    if (space === null)
      throw new FtpError(FtpErrorCode.NOT_SUPPORTED, 'Available space unknown.', {
        reply: Reply.FILE_NOT_FOUND,
      });
    session.reply(Reply.FILE_STATUS, String(space));
  },
};
