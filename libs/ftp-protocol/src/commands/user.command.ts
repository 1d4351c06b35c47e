import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.1. With TLS required, USER before AUTH is refused (RFC 2228 §4 534). */
export const userCommand: FtpCommand = {
  name: 'USER',
  needsAuth: false,
  argument: 'required',
  kind: 'normal',
  help: 'USER <username>',
  handler(session, arg) {
    if (session.server.shuttingDown) {
      session.closeWith(Reply.SERVICE_UNAVAILABLE, 'Server shutting down.');
      return;
    }
    if (session.loggedIn) {
      session.reply(Reply.NOT_LOGGED_IN, 'Cannot change user: already logged in.');
      return;
    }
    if (session.server.options.requireTls && !session.secure) {
      session.reply(Reply.POLICY_DENIED, 'Policy requires TLS: use AUTH TLS before USER.');
      return;
    }
    session.pendingUser = arg;
    session.reply(Reply.NEED_PASSWORD, 'Password required.');
  },
};
