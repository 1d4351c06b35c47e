import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** PRET (drftpd): announces the next transfer before PASV; nothing to prepare here. */
export const pretCommand: FtpCommand = {
  name: 'PRET',
  needsAuth: true,
  argument: 'required',
  kind: 'normal',
  feat: 'PRET',
  help: 'PRET <command>',
  handler(session) {
    session.reply(Reply.OK, 'Ready.');
  },
};
