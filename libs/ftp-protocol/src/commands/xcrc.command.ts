import type { FtpCommand } from './command';
import { legacyHash } from './legacy-hash.helper';

export const xcrcCommand: FtpCommand = {
  name: 'XCRC',
  needsAuth: true,
  argument: 'required',
  permission: 'download',
  kind: 'normal',
  feat: 'XCRC',
  help: 'XCRC <path> [start [end]]',
  async handler(session, arg) {
    await legacyHash(session, 'CRC32', arg);
  },
};
