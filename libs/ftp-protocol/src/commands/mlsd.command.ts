import { formatMlstFacts } from '../listing/list-format';
import { runListing } from '../session/transfers';
import type { FtpCommand } from './command';

/** RFC 3659 §7: machine listing of a directory over the data connection. */
export const mlsdCommand: FtpCommand = {
  name: 'MLSD',
  needsAuth: true,
  argument: 'optional',
  permission: 'list',
  kind: 'transfer',
  help: 'MLSD [path]',
  async handler(session, arg) {
    const facts = session.mlstFacts;
    await runListing(session, 'MLSD', session.resolve(arg), {
      directoryOnly: true,
      format: (stat) => `${formatMlstFacts(stat, facts)}${stat.name}\r\n`,
    });
  },
};
