import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3; answered even while a transfer runs (keep-alive of rclone and others). */
export const noopCommand: FtpCommand = {
  name: 'NOOP',
  needsAuth: false,
  argument: 'optional',
  kind: 'immediate',
  help: 'NOOP',
  handler(session) {
    session.reply(Reply.OK, 'NOOP ok.');
  },
};
