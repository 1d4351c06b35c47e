import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.1: accounts are not used; answered 502 as the issue asks. */
export const acctCommand: FtpCommand = {
  name: 'ACCT',
  needsAuth: false,
  argument: 'optional',
  kind: 'normal',
  help: 'ACCT (not implemented)',
  handler(session) {
    session.reply(Reply.NOT_IMPLEMENTED, 'ACCT not implemented.');
  },
};
