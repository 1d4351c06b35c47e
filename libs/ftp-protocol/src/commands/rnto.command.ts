import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3. */
export const rntoCommand: FtpCommand = {
  name: 'RNTO',
  needsAuth: true,
  argument: 'required',
  permission: 'rename',
  kind: 'normal',
  help: 'RNTO <path>',
  async handler(session, arg) {
    const from = session.renameFrom;
    session.renameFrom = null;
    if (from === null) {
      session.reply(Reply.BAD_SEQUENCE, 'RNFR required first.');
      return;
    }
    const to = session.resolve(arg);
    await session.authorize('rename', to);
    try {
      await session.fs.rename(from, to);
    } catch (error) {
      await session.emit('rename', 'RNTO', {
        path: from,
        targetPath: to,
        outcome: 'failed',
        reason: String((error as Error).name),
      });
      throw error;
    }
    await session.emit('rename', 'RNTO', { path: from, targetPath: to, outcome: 'ok' });
    session.reply(Reply.FILE_ACTION_OK, 'Rename successful.');
  },
};
