import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3: clients use it to pick their LIST parser. */
export const systCommand: FtpCommand = {
  name: 'SYST',
  needsAuth: false,
  argument: 'none',
  kind: 'normal',
  help: 'SYST',
  handler(session) {
    session.reply(Reply.SYSTEM_TYPE, 'UNIX Type: L8');
  },
};
