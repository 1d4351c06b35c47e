import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §3.1.1: A (line endings converted) and I/L 8 (bytes as they are). */
export const typeCommand: FtpCommand = {
  name: 'TYPE',
  needsAuth: false,
  argument: 'required',
  kind: 'normal',
  help: 'TYPE A|I',
  handler(session, arg) {
    const parts = arg.trim().toUpperCase().split(/\s+/);
    const [type, format] = parts;
    if (type === 'A' && (format === undefined || format === 'N')) {
      session.asciiType = true;
      session.reply(Reply.OK, 'Switching to ASCII mode.');
    } else if (type === 'I' || (type === 'L' && format === '8')) {
      session.asciiType = false;
      session.reply(Reply.OK, 'Switching to Binary mode.');
    } else if (type === 'A' || type === 'E' || type === 'L') {
      session.reply(Reply.NOT_IMPLEMENTED_FOR_PARAMETER, 'Type not supported.');
    } else {
      session.reply(Reply.SYNTAX_ERROR_ARGS, 'Unknown type.');
    }
  },
};
