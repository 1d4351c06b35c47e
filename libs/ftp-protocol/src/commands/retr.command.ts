import { runDownload } from '../session/transfers';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3; from the REST offset when one was given. */
export const retrCommand: FtpCommand = {
  name: 'RETR',
  needsAuth: true,
  argument: 'required',
  permission: 'download',
  kind: 'transfer',
  help: 'RETR <path>',
  async handler(session, arg) {
    await runDownload(session, 'RETR', session.resolve(arg));
  },
};
