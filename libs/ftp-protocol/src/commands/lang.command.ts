import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 2640 §4: only English messages exist. */
export const langCommand: FtpCommand = {
  name: 'LANG',
  needsAuth: false,
  argument: 'optional',
  kind: 'normal',
  feat: 'LANG EN*',
  help: 'LANG [EN]',
  handler(session, arg) {
    const tag = arg.trim().toUpperCase();
    if (tag === '' || tag === 'EN' || tag.startsWith('EN-')) {
      session.reply(Reply.OK, 'Using language EN.');
      return;
    }
    session.reply(Reply.NOT_IMPLEMENTED_FOR_PARAMETER, 'Language not supported.');
  },
};
