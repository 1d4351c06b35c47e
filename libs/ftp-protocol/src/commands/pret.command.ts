import { Reply } from '../replies';
import type { FtpCommand } from './command';

/**
 * PRET (drftpd): announces the next transfer before PASV; nothing to prepare
 * here. Accepted but not listed in FEAT: lftp and FileZilla send it before
 * every transfer only when FEAT lists it, one round trip per file for nothing.
 */
export const pretCommand: FtpCommand = {
  name: 'PRET',
  needsAuth: true,
  argument: 'required',
  kind: 'normal',
  help: 'PRET <command>',
  handler(session) {
    session.reply(Reply.OK, 'Ready.');
  },
};
