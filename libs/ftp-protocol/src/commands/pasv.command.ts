import { isIPv4 } from 'node:net';

import { normalizeAddress } from '../data/data-channel';
import { FtpError, FtpErrorCode } from '../errors';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

/**
 * RFC 959 §4.1.1: the announced address is the listener's public address
 * (NAT) or the address the client reached us on. IPv4 only: IPv6 clients use EPSV.
 */
export const pasvCommand: FtpCommand = {
  name: 'PASV',
  needsAuth: true,
  argument: 'none',
  kind: 'normal',
  help: 'PASV',
  async handler(session) {
    if (session.epsvAll) {
      session.reply(Reply.BAD_SEQUENCE, 'PASV not allowed after EPSV ALL.');
      return;
    }
    const address = session.options.publicHost ?? normalizeAddress(session.socket.localAddress);
    if (!isIPv4(address)) {
      throw new FtpError(FtpErrorCode.PROTOCOL_NOT_SUPPORTED, 'PASV needs IPv4: use EPSV.');
    }
    const channel = await session.openPassive();
    const port = channel.port + (session.options.publicPortOffset ?? 0);
    session.reply(
      Reply.PASSIVE_MODE,
      `Entering Passive Mode (${address.replace(/\./g, ',')},${port >> 8},${port & 255}).`,
    );
  },
};
