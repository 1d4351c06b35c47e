import { isIPv4, isIPv6 } from 'node:net';

import { normalizeAddress } from '../data/data-channel';
import { Reply } from '../replies';
import type { FtpSession } from '../session/ftp-session';
import type { FtpCommand } from './command';

/** PORT/EPRT target check: the client's own address and a non-privileged port, else 504. */
export function checkActiveTarget(session: FtpSession, host: string, port: number): boolean {
  if (port < 1024 || port > 65535) {
    session.reply(Reply.NOT_IMPLEMENTED_FOR_PARAMETER, 'Data port must be 1024 or above.');
    return false;
  }
  if (
    !session.options.allowForeignDataAddress &&
    normalizeAddress(host) !== session.client.address
  ) {
    session.reply(
      Reply.NOT_IMPLEMENTED_FOR_PARAMETER,
      'Data connection only to the client address.',
    );
    return false;
  }
  return true;
}

/** RFC 2428 §2: `EPRT |1|132.235.1.2|6275|` or `|2|::1|6275|`. */
export const eprtCommand: FtpCommand = {
  name: 'EPRT',
  needsAuth: true,
  argument: 'required',
  kind: 'normal',
  feat: 'EPRT',
  help: 'EPRT |proto|address|port|',
  handler(session, arg) {
    if (session.epsvAll) {
      session.reply(Reply.BAD_SEQUENCE, 'EPRT not allowed after EPSV ALL.');
      return;
    }
    const value = arg.trim();
    const delimiter = value[0];
    const fields = value.split(delimiter ?? '|');
    if (!delimiter || fields.length !== 5 || !/^\d+$/.test(fields[3])) {
      session.reply(Reply.SYNTAX_ERROR_ARGS, 'Syntax: EPRT |proto|address|port|.');
      return;
    }
    const [, proto, host, portText] = fields;
    if ((proto === '1' && !isIPv4(host)) || (proto === '2' && !isIPv6(host))) {
      session.reply(Reply.SYNTAX_ERROR_ARGS, 'Bad network address.');
      return;
    }
    if (proto !== '1' && proto !== '2') {
      session.reply(Reply.PROTOCOL_NOT_SUPPORTED, 'Network protocol not supported, use (1,2).');
      return;
    }
    const port = Number(portText);
    if (!checkActiveTarget(session, host, port)) return;
    session.setActive(host, port);
    session.reply(Reply.OK, 'EPRT command successful.');
  },
};
