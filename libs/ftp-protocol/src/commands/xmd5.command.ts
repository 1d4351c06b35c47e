import type { FtpCommand } from './command';
import { legacyHash } from './legacy-hash.helper';

export const xmd5Command: FtpCommand = {
  name: 'XMD5',
  needsAuth: true,
  argument: 'required',
  permission: 'download',
  kind: 'normal',
  feat: 'XMD5',
  help: 'XMD5 <path> [start [end]]',
  async handler(session, arg) {
    await legacyHash(session, 'MD5', arg);
  },
};
