import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 3659 §5 (REST STREAM): byte offset for the next RETR or STOR. */
export const restCommand: FtpCommand = {
  name: 'REST',
  needsAuth: true,
  argument: 'required',
  kind: 'normal',
  feat: 'REST STREAM',
  help: 'REST <offset>',
  handler(session, arg) {
    const value = arg.trim();
    if (!/^\d{1,15}$/.test(value)) {
      session.reply(Reply.SYNTAX_ERROR_ARGS, 'REST needs a non-negative byte offset.');
      return;
    }
    session.restOffset = Number(value);
    session.reply(
      Reply.PENDING_FURTHER_INFO,
      `Restarting at ${session.restOffset}. Send STOR or RETR.`,
    );
  },
};
