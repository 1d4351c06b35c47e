import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §3.1.2: only File structure. */
export const struCommand: FtpCommand = {
  name: 'STRU',
  needsAuth: false,
  argument: 'required',
  kind: 'normal',
  help: 'STRU F',
  handler(session, arg) {
    const stru = arg.trim().toUpperCase();
    if (stru === 'F') session.reply(Reply.OK, 'Structure set to F.');
    else if (stru === 'R' || stru === 'P') {
      session.reply(Reply.NOT_IMPLEMENTED_FOR_PARAMETER, 'Only STRU F is supported.');
    } else session.reply(Reply.SYNTAX_ERROR_ARGS, 'Unknown structure.');
  },
};
