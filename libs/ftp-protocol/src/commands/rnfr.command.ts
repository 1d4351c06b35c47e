import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3: remembers the source; RNTO must follow immediately. */
export const rnfrCommand: FtpCommand = {
  name: 'RNFR',
  needsAuth: true,
  argument: 'required',
  permission: 'rename',
  kind: 'normal',
  help: 'RNFR <path>',
  async handler(session, arg) {
    const path = session.resolve(arg);
    session.renameFrom = null;
    await session.authorize('rename', path);
    await session.fs.stat(path);
    session.renameFrom = path;
    session.reply(Reply.PENDING_FURTHER_INFO, 'Ready for RNTO.');
  },
};
