import { FtpError, FtpErrorCode } from '../errors';
import { parseTimeVal } from '../listing/list-format';
import { Reply } from '../replies';
import type { FtpSession } from '../session/ftp-session';
import type { FtpCommand } from './command';
import { setModificationTime } from './mfmt.command';

export const SITE_HELP = ['CHMOD <mode> <path>', 'UTIME <YYYYMMDDHHMMSS> <path>', 'HELP'];

async function chmod(session: FtpSession, args: string): Promise<void> {
  const space = args.indexOf(' ');
  const modeText = space > 0 ? args.slice(0, space) : '';
  if (!/^[0-7]{1,4}$/.test(modeText)) {
    throw new FtpError(FtpErrorCode.BAD_ARGUMENT, 'Syntax: SITE CHMOD <octal mode> <path>.');
  }
  const fs = session.fs;
  if (!fs.chmod)
    throw new FtpError(FtpErrorCode.NOT_SUPPORTED, 'SITE CHMOD not supported by this storage.');
  const path = session.resolve(args.slice(space + 1));
  await session.authorize('chmod', path);
  try {
    await fs.chmod(path, parseInt(modeText, 8));
  } catch (error) {
    await session.emit('chmod', 'SITE CHMOD', {
      path,
      outcome: 'failed',
      reason: String((error as Error).name),
    });
    throw error;
  }
  await session.emit('chmod', 'SITE CHMOD', { path, outcome: 'ok' });
  session.reply(Reply.OK, 'SITE CHMOD command ok.');
}

/**
 * SITE UTIME in both forms lftp and others send: `UTIME <time> <path>` and
 * ProFTPD's `UTIME <path> <atime> <mtime> <ctime> UTC`.
 */
async function utime(session: FtpSession, args: string): Promise<void> {
  const five = /^(.+) (\d{14}) (\d{14}) (\d{14}) UTC$/.exec(args);
  let name: string;
  let time: Date | null;
  if (five) {
    name = five[1];
    time = parseTimeVal(five[3]);
  } else {
    const space = args.indexOf(' ');
    time = space > 0 ? parseTimeVal(args.slice(0, space)) : null;
    name = args.slice(space + 1);
  }
  if (!time || !name)
    throw new FtpError(FtpErrorCode.BAD_ARGUMENT, 'Syntax: SITE UTIME <YYYYMMDDHHMMSS> <path>.');
  await setModificationTime(session, 'SITE UTIME', session.resolve(name), time);
  session.reply(Reply.OK, 'SITE UTIME command ok.');
}

/** RFC 959 §4.1.3: site-specific commands. */
export const siteCommand: FtpCommand = {
  name: 'SITE',
  needsAuth: true,
  argument: 'required',
  kind: 'normal',
  feat: 'SITE CHMOD',
  help: 'SITE CHMOD|UTIME|HELP',
  async handler(session, arg) {
    const space = arg.indexOf(' ');
    const sub = (space < 0 ? arg : arg.slice(0, space)).toUpperCase();
    const rest = space < 0 ? '' : arg.slice(space + 1);
    switch (sub) {
      case 'CHMOD':
        await chmod(session, rest);
        return;
      case 'UTIME':
        await utime(session, rest);
        return;
      case 'HELP':
        session.reply(Reply.HELP, ['SITE commands:', ...SITE_HELP.map((l) => ` ${l}`), 'End.']);
        return;
      default:
        session.reply(Reply.NOT_IMPLEMENTED_FOR_PARAMETER, 'Unknown SITE command.');
    }
  },
};
