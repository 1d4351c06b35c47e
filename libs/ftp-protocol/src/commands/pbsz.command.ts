import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 4217 §8: PBSZ 0 is the only meaningful value for TLS. */
export const pbszCommand: FtpCommand = {
  name: 'PBSZ',
  needsAuth: false,
  argument: 'required',
  kind: 'normal',
  feat: (session) => (session.server.tls ? 'PBSZ' : null),
  help: 'PBSZ 0',
  handler(session, arg) {
    if (!session.secure) {
      session.reply(
        Reply.BAD_SEQUENCE,
        'PBSZ needs a protected control connection (AUTH TLS first).',
      );
      return;
    }
    if (!/^\d+$/.test(arg.trim())) {
      session.reply(Reply.SYNTAX_ERROR_ARGS, 'PBSZ needs a number.');
      return;
    }
    session.pbsz = true;
    session.reply(Reply.OK, 'PBSZ=0');
  },
};
