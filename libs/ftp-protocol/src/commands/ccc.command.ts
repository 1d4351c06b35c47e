import { Reply } from '../replies';
import type { FtpCommand } from './command';

/**
 * RFC 2228 §3 / RFC 4217 §11: clearing the control channel would let a
 * middlebox inject commands after login, so it is refused by policy (533).
 */
export const cccCommand: FtpCommand = {
  name: 'CCC',
  needsAuth: false,
  argument: 'none',
  kind: 'normal',
  help: 'CCC (refused)',
  handler(session) {
    if (!session.secure) {
      session.reply(Reply.BAD_SEQUENCE, 'Control connection is not protected.');
      return;
    }
    session.reply(Reply.PROTECTION_DENIED, 'CCC refused: the control connection stays protected.');
  },
};
