import { runListing } from '../session/transfers';
import type { FtpCommand } from './command';
import { parseListArgument } from './list.command';

/** RFC 959 §4.1.3: names only; ls flags such as ncftp's `-CF` are ignored, not taken as a path. */
export const nlstCommand: FtpCommand = {
  name: 'NLST',
  needsAuth: true,
  argument: 'optional',
  permission: 'list',
  kind: 'transfer',
  help: 'NLST [path]',
  async handler(session, arg) {
    const { flags, path } = await parseListArgument(session, arg);
    await runListing(session, 'NLST', session.resolve(path), {
      hideDotFiles: !/[aA]/.test(flags),
      format: (stat) => `${stat.name}\r\n`,
    });
  },
};
