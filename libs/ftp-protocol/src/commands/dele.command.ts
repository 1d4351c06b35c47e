import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3. */
export const deleCommand: FtpCommand = {
  name: 'DELE',
  needsAuth: true,
  argument: 'required',
  permission: 'delete',
  kind: 'normal',
  help: 'DELE <path>',
  async handler(session, arg) {
    const path = session.resolve(arg);
    await session.authorize('delete', path);
    let bytes = 0;
    try {
      const stat = await session.fs.stat(path);
      bytes = stat.size;
      await session.fs.delete(path);
    } catch (error) {
      await session.emit('delete', 'DELE', {
        path,
        outcome: 'failed',
        reason: String((error as Error).name),
      });
      throw error;
    }
    await session.emit('delete', 'DELE', { path, bytes, outcome: 'ok' });
    session.reply(Reply.FILE_ACTION_OK, 'Delete operation successful.');
  },
};
