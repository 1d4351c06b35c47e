import type { FtpCommand } from './command';
import { legacyHash } from './legacy-hash.helper';

export const xsha256Command: FtpCommand = {
  name: 'XSHA256',
  needsAuth: true,
  argument: 'required',
  permission: 'download',
  kind: 'normal',
  feat: 'XSHA256',
  help: 'XSHA256 <path> [start [end]]',
  async handler(session, arg) {
    await legacyHash(session, 'SHA-256', arg);
  },
};
