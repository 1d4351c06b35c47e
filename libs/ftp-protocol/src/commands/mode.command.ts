import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §3.4: only Stream mode. */
export const modeCommand: FtpCommand = {
  name: 'MODE',
  needsAuth: false,
  argument: 'required',
  kind: 'normal',
  help: 'MODE S',
  handler(session, arg) {
    const mode = arg.trim().toUpperCase();
    if (mode === 'S') session.reply(Reply.OK, 'Mode set to S.');
    else if (mode === 'B' || mode === 'C' || mode === 'Z') {
      session.reply(Reply.NOT_IMPLEMENTED_FOR_PARAMETER, 'Only MODE S is supported.');
    } else session.reply(Reply.SYNTAX_ERROR_ARGS, 'Unknown mode.');
  },
};
