import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3: no pre-allocation is needed (202, superfluous); quota is checked while bytes arrive. */
export const alloCommand: FtpCommand = {
  name: 'ALLO',
  needsAuth: true,
  argument: 'optional',
  kind: 'normal',
  help: 'ALLO <bytes>',
  handler(session) {
    session.reply(Reply.SUPERFLUOUS, 'ALLO not needed.');
  },
};
