import { formatTimeVal, parseTimeVal } from '../listing/list-format';
import { Reply } from '../replies';
import type { FtpCommand } from './command';
import { setModificationTime } from './mfmt.command';

/**
 * RFC 3659 §3. Also the "writing MDTM" form `MDTM <time> <path>` some clients
 * (rclone's fallback) use when MFMT is missing; only taken when the first
 * word is a time-val and a path follows.
 */
export const mdtmCommand: FtpCommand = {
  name: 'MDTM',
  needsAuth: true,
  argument: 'required',
  kind: 'normal',
  feat: 'MDTM',
  help: 'MDTM <path>',
  async handler(session, arg) {
    const space = arg.indexOf(' ');
    if (space > 0) {
      const time = parseTimeVal(arg.slice(0, space));
      if (time) {
        const path = session.resolve(arg.slice(space + 1));
        await setModificationTime(session, 'MDTM', path, time);
        session.reply(Reply.FILE_STATUS, `Modify=${formatTimeVal(time)}; ${arg.slice(space + 1)}`);
        return;
      }
    }
    const stat = await session.fs.stat(session.resolve(arg));
    session.reply(Reply.FILE_STATUS, formatTimeVal(stat.mtime));
  },
};
