import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.1: while a transfer runs, 221 follows its final reply. */
export const quitCommand: FtpCommand = {
  name: 'QUIT',
  needsAuth: false,
  argument: 'none',
  kind: 'immediate',
  help: 'QUIT',
  handler(session) {
    if (session.transfer) {
      session.quitWhenTransferEnds();
      return;
    }
    session.closeWith(Reply.CLOSING, 'Goodbye.');
  },
};
