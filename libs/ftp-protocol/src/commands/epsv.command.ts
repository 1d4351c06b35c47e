import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 2428 §3; `EPSV ALL` (§4) refuses PASV, PORT and EPRT afterwards. */
export const epsvCommand: FtpCommand = {
  name: 'EPSV',
  needsAuth: true,
  argument: 'optional',
  kind: 'normal',
  feat: 'EPSV',
  help: 'EPSV [1|2|ALL]',
  async handler(session, arg) {
    const value = arg.trim().toUpperCase();
    if (value === 'ALL') {
      session.epsvAll = true;
      session.reply(Reply.OK, 'EPSV ALL ok.');
      return;
    }
    const family =
      session.socket.remoteFamily === 'IPv6' && !session.socket.remoteAddress?.startsWith('::ffff:')
        ? '2'
        : '1';
    if (value !== '' && value !== family) {
      session.reply(
        Reply.PROTOCOL_NOT_SUPPORTED,
        `Network protocol not supported, use (${family}).`,
      );
      return;
    }
    const channel = await session.openPassive();
    const port = channel.port + (session.options.publicPortOffset ?? 0);
    session.reply(Reply.EXTENDED_PASSIVE_MODE, `Entering Extended Passive Mode (|||${port}|).`);
  },
};
