import { FtpError, FtpErrorCode } from '../errors';
import { formatTimeVal, parseTimeVal } from '../listing/list-format';
import type { VirtualPath } from '../ports/file-system.port';
import { Reply } from '../replies';
import type { FtpSession } from '../session/ftp-session';
import type { FtpCommand } from './command';

/** Shared by MFMT, writing MDTM and SITE UTIME: policy check, change, event. */
export async function setModificationTime(
  session: FtpSession,
  command: string,
  path: VirtualPath,
  time: Date,
): Promise<void> {
  await session.authorize('mfmt', path);
  try {
    await session.fs.setModificationTime(path, time);
  } catch (error) {
    await session.emit('mfmt', command, {
      path,
      outcome: 'failed',
      reason: String((error as Error).name),
    });
    throw error;
  }
  await session.emit('mfmt', command, { path, outcome: 'ok' });
}

/** draft-somers-ftp-mfxx: `MFMT YYYYMMDDHHMMSS path` -> `213 Modify=...; path`. */
export const mfmtCommand: FtpCommand = {
  name: 'MFMT',
  needsAuth: true,
  argument: 'required',
  permission: 'mfmt',
  kind: 'normal',
  feat: 'MFMT',
  help: 'MFMT <YYYYMMDDHHMMSS> <path>',
  async handler(session, arg) {
    const space = arg.indexOf(' ');
    const time = space > 0 ? parseTimeVal(arg.slice(0, space)) : null;
    if (!time) throw new FtpError(FtpErrorCode.BAD_ARGUMENT, 'Syntax: MFMT YYYYMMDDHHMMSS path.');
    const name = arg.slice(space + 1);
    await setModificationTime(session, 'MFMT', session.resolve(name), time);
    session.reply(Reply.FILE_STATUS, `Modify=${formatTimeVal(time)}; ${name}`);
  },
};
