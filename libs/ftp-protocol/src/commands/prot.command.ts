import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 4217 §9: PROT C (clear) or P (private); S and E do not exist for TLS (536). */
export const protCommand: FtpCommand = {
  name: 'PROT',
  needsAuth: false,
  argument: 'required',
  kind: 'normal',
  feat: (session) => (session.server.tls ? 'PROT' : null),
  help: 'PROT C|P',
  handler(session, arg) {
    if (!session.secure) {
      session.reply(
        Reply.BAD_SEQUENCE,
        'PROT needs a protected control connection (AUTH TLS first).',
      );
      return;
    }
    if (!session.pbsz && session.server.tlsMode !== 'implicit') {
      session.reply(Reply.BAD_SEQUENCE, 'PBSZ first.');
      return;
    }
    const level = arg.trim().toUpperCase();
    switch (level) {
      case 'C':
        session.protPrivate = false;
        session.reply(Reply.OK, 'Protection level set to Clear.');
        return;
      case 'P':
        session.protPrivate = true;
        session.reply(Reply.OK, 'Protection level set to Private.');
        return;
      case 'S':
      case 'E':
        session.reply(Reply.PROT_NOT_SUPPORTED, 'PROT level not supported by TLS.');
        return;
      default:
        session.reply(Reply.NOT_IMPLEMENTED_FOR_PARAMETER, 'Unknown PROT level.');
    }
  },
};
