import { FtpError, FtpErrorCode } from '../errors';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3. The root can never be removed. */
export const rmdCommand: FtpCommand = {
  name: 'RMD',
  aliases: ['XRMD'],
  needsAuth: true,
  argument: 'required',
  permission: 'rmdir',
  kind: 'normal',
  help: 'RMD <path>',
  async handler(session, arg) {
    const path = session.resolve(arg);
    if (path === '/')
      throw new FtpError(FtpErrorCode.PERMISSION_DENIED, 'Cannot remove the root directory.');
    await session.authorize('rmdir', path);
    try {
      await session.fs.rmdir(path);
    } catch (error) {
      await session.emit('rmdir', 'RMD', {
        path,
        outcome: 'failed',
        reason: String((error as Error).name),
      });
      throw error;
    }
    if (session.cwd === path || session.cwd.startsWith(`${path}/`)) session.cwd = '/';
    await session.emit('rmdir', 'RMD', { path, outcome: 'ok' });
    session.reply(Reply.FILE_ACTION_OK, 'Remove directory operation successful.');
  },
};
