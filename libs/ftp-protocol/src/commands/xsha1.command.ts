import type { FtpCommand } from './command';
import { legacyHash } from './legacy-hash.helper';

export const xsha1Command: FtpCommand = {
  name: 'XSHA1',
  needsAuth: true,
  argument: 'required',
  permission: 'download',
  kind: 'normal',
  feat: 'XSHA1',
  help: 'XSHA1 <path> [start [end]]',
  async handler(session, arg) {
    await legacyHash(session, 'SHA-1', arg);
  },
};
