import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 2389 §3: every feature line comes from the command table. */
export const featCommand: FtpCommand = {
  name: 'FEAT',
  needsAuth: false,
  argument: 'none',
  kind: 'normal',
  help: 'FEAT',
  handler(session) {
    const lines = ['Features:'];
    for (const command of session.server.commandList) {
      const feat = typeof command.feat === 'function' ? command.feat(session) : command.feat;
      if (feat) lines.push(` ${feat}`);
    }
    lines.push(' UTF8', ' TVFS', 'End');
    session.reply(Reply.SYSTEM_STATUS, lines);
  },
};
