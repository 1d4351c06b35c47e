import { formatListLine } from '../listing/list-format';
import { FileSystemError } from '../ports/file-system.port';
import type { FtpSession } from '../session/ftp-session';
import { runListing } from '../session/transfers';
import type { FtpCommand } from './command';

/** ls options clients send (`-a`, `-l`, `-la`, `-aL`, `-CF`...); anything else is a name. */
const LS_FLAGS = /^-[aAlLRCFdhnt1S]+$/;

/**
 * Splits `LIST -la dir` into flags and path. When the whole argument names an
 * existing object it is a path, so a file called `-x` (or even `-l`) stays reachable.
 */
export async function parseListArgument(
  session: FtpSession,
  arg: string,
): Promise<{ flags: string; path: string }> {
  if (!arg.startsWith('-')) return { flags: '', path: arg };
  try {
    await session.fs.stat(session.resolve(arg));
    return { flags: '', path: arg };
  } catch (error) {
    if (!(error instanceof FileSystemError)) throw error;
  }
  let rest = arg;
  let flags = '';
  while (rest.startsWith('-')) {
    const space = rest.indexOf(' ');
    const word = space < 0 ? rest : rest.slice(0, space);
    if (!LS_FLAGS.test(word)) break;
    flags += word.slice(1);
    rest = space < 0 ? '' : rest.slice(space + 1).trimStart();
  }
  return { flags, path: rest };
}

/** RFC 959 §4.1.3: `ls -l` style; dot files only with -a/-A (what basic-ftp's `LIST -a` expects). */
export const listCommand: FtpCommand = {
  name: 'LIST',
  needsAuth: true,
  argument: 'optional',
  permission: 'list',
  kind: 'transfer',
  help: 'LIST [-la] [path]',
  async handler(session, arg) {
    const { flags, path } = await parseListArgument(session, arg);
    const now = Date.now();
    await runListing(session, 'LIST', session.resolve(path), {
      hideDotFiles: !/[aA]/.test(flags),
      format: (stat) => formatListLine(stat, now),
    });
  },
};
