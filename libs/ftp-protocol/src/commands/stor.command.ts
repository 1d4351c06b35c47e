import { runUpload } from '../session/transfers';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3; after REST n the bytes before n are kept (RFC 3659 §5.5). */
export const storCommand: FtpCommand = {
  name: 'STOR',
  needsAuth: true,
  argument: 'required',
  permission: 'upload',
  kind: 'transfer',
  help: 'STOR <path>',
  async handler(session, arg) {
    await runUpload(session, 'STOR', session.resolve(arg), 'store');
  },
};
