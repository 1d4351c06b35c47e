import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 2228 §3 / RFC 4217 §4: AUTH TLS (and the legacy AUTH SSL, same handling). */
export const authCommand: FtpCommand = {
  name: 'AUTH',
  needsAuth: false,
  argument: 'required',
  kind: 'normal',
  feat: (session) =>
    session.server.tls && session.server.tlsMode === 'explicit' ? 'AUTH TLS' : null,
  help: 'AUTH TLS|SSL',
  handler(session, arg) {
    const mechanism = arg.trim().toUpperCase();
    if (!['TLS', 'SSL', 'TLS-C', 'TLS-P'].includes(mechanism)) {
      session.reply(Reply.NOT_IMPLEMENTED_FOR_PARAMETER, 'Unsupported security mechanism.');
      return;
    }
    if (!session.server.tls) {
      session.reply(Reply.NOT_IMPLEMENTED, 'TLS is not configured on this server.');
      return;
    }
    if (session.secure) {
      session.reply(Reply.BAD_SEQUENCE, 'Already using TLS.');
      return;
    }
    session.upgradeToTls();
  },
};
