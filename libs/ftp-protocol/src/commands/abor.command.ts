import { Reply } from '../replies';
import type { FtpCommand } from './command';

/**
 * RFC 959 §4.1.3: the running transfer ends with 426, then ABOR gets 226.
 * Arrives behind Telnet IP/DM from lftp; the codec strips those.
 */
export const aborCommand: FtpCommand = {
  name: 'ABOR',
  needsAuth: false,
  argument: 'none',
  kind: 'immediate',
  help: 'ABOR',
  async handler(session) {
    const transfer = session.transfer;
    if (transfer) {
      session.abortTransfer();
      await transfer.done;
      session.reply(Reply.TRANSFER_COMPLETE, 'ABOR successful.');
      return;
    }
    const hadChannel = session.dataChannel !== null;
    session.closeDataChannel();
    session.reply(
      hadChannel ? Reply.DATA_OPEN_NO_TRANSFER : Reply.TRANSFER_COMPLETE,
      'No transfer to abort.',
    );
  },
};
