import { parentPath } from '../paths';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.1 (200 per §5.4); never above the virtual root. */
export const cdupCommand: FtpCommand = {
  name: 'CDUP',
  aliases: ['XCUP'],
  needsAuth: true,
  argument: 'none',
  kind: 'normal',
  help: 'CDUP',
  handler(session) {
    session.cwd = parentPath(session.cwd);
    session.reply(Reply.OK, 'Directory successfully changed.');
  },
};
