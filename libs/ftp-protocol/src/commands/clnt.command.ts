import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** CLNT (draft-ietf-ftpext-clnt): the client's name, kept for diagnostics. */
export const clntCommand: FtpCommand = {
  name: 'CLNT',
  needsAuth: false,
  argument: 'optional',
  kind: 'normal',
  feat: 'CLNT',
  help: 'CLNT <client name>',
  handler(session, arg) {
    session.clientName = arg.slice(0, 128);
    session.reply(Reply.OK, 'Noted.');
  },
};
