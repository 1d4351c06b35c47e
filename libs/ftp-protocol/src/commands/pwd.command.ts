import { quotePath } from '../paths';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3 (257 with `"` doubled, §7); only the virtual path is shown. */
export const pwdCommand: FtpCommand = {
  name: 'PWD',
  aliases: ['XPWD'],
  needsAuth: true,
  argument: 'none',
  kind: 'normal',
  help: 'PWD',
  handler(session) {
    session.reply(Reply.PATH_CREATED, `${quotePath(session.cwd)} is the current directory.`);
  },
};
