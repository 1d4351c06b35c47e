import { Reply } from '../replies';
import type { FtpCommand } from './command';
import { checkActiveTarget } from './eprt.command';

/** RFC 959 §4.1.2: active mode, only to the client's own IP and ports >= 1024 (no FTP bounce). */
export const portCommand: FtpCommand = {
  name: 'PORT',
  needsAuth: true,
  argument: 'required',
  kind: 'normal',
  help: 'PORT h1,h2,h3,h4,p1,p2',
  handler(session, arg) {
    if (session.epsvAll) {
      session.reply(Reply.BAD_SEQUENCE, 'PORT not allowed after EPSV ALL.');
      return;
    }
    const parts = arg.trim().split(',');
    const numbers = parts.map((p) => (/^\d{1,3}$/.test(p.trim()) ? Number(p) : -1));
    if (numbers.length !== 6 || numbers.some((n) => n < 0 || n > 255)) {
      session.reply(Reply.SYNTAX_ERROR_ARGS, 'Syntax: PORT h1,h2,h3,h4,p1,p2.');
      return;
    }
    const host = numbers.slice(0, 4).join('.');
    const port = numbers[4] * 256 + numbers[5];
    if (!checkActiveTarget(session, host, port)) return;
    session.setActive(host, port);
    session.reply(Reply.OK, 'PORT command successful. Consider using PASV.');
  },
};
