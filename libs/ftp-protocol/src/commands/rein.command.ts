import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.1: logs out and resets the session; the TLS layer stays. */
export const reinCommand: FtpCommand = {
  name: 'REIN',
  needsAuth: false,
  argument: 'none',
  kind: 'normal',
  help: 'REIN',
  async handler(session) {
    await session.reinitialize();
    session.reply(Reply.SERVICE_READY, 'Ready for new user.');
  },
};
