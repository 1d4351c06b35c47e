import { runUpload } from '../session/transfers';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3: append, creating the file when missing. */
export const appeCommand: FtpCommand = {
  name: 'APPE',
  needsAuth: true,
  argument: 'required',
  permission: 'append',
  kind: 'transfer',
  help: 'APPE <path>',
  async handler(session, arg) {
    await runUpload(session, 'APPE', session.resolve(arg), 'append');
  },
};
