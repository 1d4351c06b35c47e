import { formatMlstFacts, formatMlstFeat } from '../listing/list-format';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

/** RFC 3659 §7.2: facts of one object over the control connection (entry line starts with a space). */
export const mlstCommand: FtpCommand = {
  name: 'MLST',
  needsAuth: true,
  argument: 'optional',
  permission: 'list',
  kind: 'normal',
  feat: (session) => formatMlstFeat(session.mlstFacts),
  help: 'MLST [path]',
  async handler(session, arg) {
    const path = session.resolve(arg);
    await session.authorize('list', path);
    const stat = await session.fs.stat(path);
    session.socket.write(
      `${Reply.FILE_ACTION_OK}- Listing ${path}\r\n ${formatMlstFacts(stat, session.mlstFacts)}${path}\r\n${Reply.FILE_ACTION_OK} End.\r\n`,
    );
  },
};
