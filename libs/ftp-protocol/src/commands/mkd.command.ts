import { quotePath } from '../paths';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3; 257 with the created path, `"` doubled (§7). */
export const mkdCommand: FtpCommand = {
  name: 'MKD',
  aliases: ['XMKD'],
  needsAuth: true,
  argument: 'required',
  permission: 'mkdir',
  kind: 'normal',
  help: 'MKD <path>',
  async handler(session, arg) {
    const path = session.resolve(arg);
    await session.authorize('mkdir', path);
    const started = performance.now();
    try {
      await session.fs.mkdir(path);
    } catch (error) {
      await session.emit('mkdir', 'MKD', {
        path,
        outcome: 'failed',
        reason: String((error as Error).name),
      });
      throw error;
    }
    await session.emit('mkdir', 'MKD', {
      path,
      outcome: 'ok',
      durationMs: Math.round(performance.now() - started),
    });
    session.reply(Reply.PATH_CREATED, `${quotePath(path)} created.`);
  },
};
