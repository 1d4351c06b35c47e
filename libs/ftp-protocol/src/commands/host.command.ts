import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 7151 §3: virtual host name, only before login. */
export const hostCommand: FtpCommand = {
  name: 'HOST',
  needsAuth: false,
  argument: 'required',
  kind: 'normal',
  feat: 'HOST',
  help: 'HOST <hostname>',
  handler(session, arg) {
    if (session.loggedIn || session.pendingUser !== null) {
      session.reply(Reply.BAD_SEQUENCE, 'HOST must come before USER.');
      return;
    }
    session.host = arg.trim().slice(0, 255);
    session.reply(Reply.SERVICE_READY, 'Host accepted.');
  },
};
